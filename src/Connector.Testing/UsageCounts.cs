namespace ResponsesWebSocket.Testing;

/// <summary>The token counts reported in <c>response.usage</c>.</summary>
internal sealed record UsageCounts(int InputTokens, int CachedTokens, int OutputTokens, int ReasoningTokens)
{
    public int TotalTokens => InputTokens + OutputTokens;
}
