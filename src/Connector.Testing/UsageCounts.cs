namespace ResponsesWebSocket.Testing;

/// <summary>The token counts reported in <c>response.usage</c>.</summary>
internal sealed record UsageCounts(int InputTokens, int CachedTokens, int OutputTokens, int ReasoningTokens)
{
    public int TotalTokens => InputTokens + OutputTokens;

    /// <summary>
    /// <c>input_tokens_details.cache_write_tokens</c> (required by the current spec): the service writes the prompt
    /// to its cache at an implicit breakpoint at the end of the input, so everything not read from the cache is written.
    /// </summary>
    public int CacheWriteTokens => InputTokens - CachedTokens;
}
