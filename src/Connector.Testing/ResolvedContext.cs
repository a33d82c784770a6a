using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>The input a response runs on, after <c>previous_response_id</c> has been followed.</summary>
/// <param name="Prefix">The chained previous input and output items (empty without a previous response).</param>
/// <param name="NewInput">This request's input items.</param>
/// <param name="FromConnectionCache">Whether the prefix came from the connection-local cache (the fast path, reported as cached tokens).</param>
internal sealed record ResolvedContext(IReadOnlyList<JsonElement> Prefix, IReadOnlyList<JsonElement> NewInput, bool FromConnectionCache)
{
    public IReadOnlyList<JsonElement> Items { get; } = [.. Prefix, .. NewInput];
}
