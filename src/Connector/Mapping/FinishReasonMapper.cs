using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Mapping;

/// <summary>Maps how a response ended onto <see cref="ChatFinishReason"/>.</summary>
internal static class FinishReasonMapper
{
    /// <summary>
    /// <c>max_output_tokens</c> → Length (even when tool calls were emitted: the calls may be truncated),
    /// <c>content_filter</c> → ContentFilter, then ToolCalls when a client function call was emitted, else Stop.
    /// Other incomplete reasons (server_error, interruption, …) become a custom reason carrying the service's word.
    /// </summary>
    public static ChatFinishReason Map(string? incompleteReason, bool anyFunctionCall) => incompleteReason switch
    {
        "max_output_tokens" => ChatFinishReason.Length,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ when string.IsNullOrWhiteSpace(incompleteReason) => anyFunctionCall ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
        _ => new ChatFinishReason(incompleteReason),
    };
}
