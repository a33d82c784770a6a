namespace ResponsesWebSocket.Testing;

/// <summary>
/// What one WebSocket connection remembers: only its most recent response (protocol.md §4). Touched solely by the
/// connection's single processing loop, so it needs no lock.
/// </summary>
internal sealed class ConnectionState(int id)
{
    public int Id { get; } = id;

    public CachedResponse? MostRecent { get; set; }
}
