namespace ResponsesWebSocket.Testing;

/// <summary>
/// What one lane of a WebSocket connection remembers: only its most recent response (protocol.md §4; one cached
/// state per lane, §5.3). A connection that never sends <c>stream_id</c> has just the default lane, so this is the
/// GA connection cache. Lanes run concurrently and read each other's state for a cross-lane fork, hence the volatile access.
/// </summary>
internal sealed class ConnectionState(int id, string? streamId = null, Func<string, CachedResponse?>? findOnOtherLanes = null)
{
    private CachedResponse? _mostRecent;

    public int Id { get; } = id;

    /// <summary>The lane's <c>stream_id</c>, or <see langword="null"/> for the default lane.</summary>
    public string? StreamId { get; } = streamId;

    public CachedResponse? MostRecent
    {
        get => Volatile.Read(ref _mostRecent);
        set => Volatile.Write(ref _mostRecent, value);
    }

    /// <summary>
    /// The cached response with this id: this lane's most recent one, else another lane's most recent one on the same
    /// connection ("a new lane can fork from a response created on another lane", Spec). <see langword="null"/> otherwise.
    /// </summary>
    public CachedResponse? FindCached(string responseId) =>
        MostRecent is { } own && own.Id == responseId ? own : findOnOtherLanes?.Invoke(responseId);
}
