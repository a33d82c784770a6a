using System.Collections.Concurrent;

namespace ResponsesWebSocket.Testing;

/// <summary>Server-wide persisted responses (<c>store:true</c>): any connection, or HTTP, may continue from them.</summary>
internal sealed class ResponseStore
{
    private readonly ConcurrentDictionary<string, CachedResponse> _responses = new(StringComparer.Ordinal);

    public void Save(CachedResponse response) => _responses[response.Id] = response;

    public bool TryGet(string id, out CachedResponse? response) => _responses.TryGetValue(id, out response);
}
