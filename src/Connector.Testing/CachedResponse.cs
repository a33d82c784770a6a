using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>A finished response as far as continuation is concerned: its id, the input it saw, and what it returned.</summary>
internal sealed record CachedResponse(string Id, IReadOnlyList<JsonElement> Context, IReadOnlyList<JsonElement> Output)
{
    /// <summary>What a continuation starts from: the resolved input followed by the output items.</summary>
    public IReadOnlyList<JsonElement> ContinuationPrefix => [.. Context, .. Output];
}
