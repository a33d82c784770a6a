using System.Collections.Concurrent;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Server-wide persisted responses (<c>store:true</c>): any connection, or HTTP, may continue from them, and input
/// items may refer to their output items by id alone.
/// </summary>
internal sealed class ResponseStore
{
    private readonly ConcurrentDictionary<string, CachedResponse> _responses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _itemIds = new(StringComparer.Ordinal);

    public void Save(CachedResponse response)
    {
        _responses[response.Id] = response;
        foreach (var item in response.Output)
        {
            if (InputItems.StringProperty(item, "id") is { } id)
            {
                _itemIds[id] = 0;
            }
        }
    }

    public bool TryGet(string id, out CachedResponse? response) => _responses.TryGetValue(id, out response);

    /// <summary>Whether a stored response produced an output item with this id.</summary>
    public bool HasItem(string id) => _itemIds.ContainsKey(id);
}
