using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// The events of one in-flight response on a connection, from the frame being sent to its terminal event.
/// </summary>
/// <remarks>
/// The connection's reader loop writes into it; the caller reads. It completes after the terminal event, or with a
/// <see cref="ResponsesException"/> when the connection breaks first. An unbounded queue (<see cref="EventQueue"/>) is
/// fine: one response's events are bounded by the response, and the reader loop must never block on a slow consumer
/// (pings need it).
/// </remarks>
internal sealed class ResponseTurn
{
    private readonly EventQueue _events = new();

    /// <summary>Gets the response id, once <c>response.created</c> arrived.</summary>
    public string? ResponseId { get; internal set; }

    /// <summary>Gets whether every event keeps its JSON (see <see cref="WebSocketConnection.SendAsync"/>).</summary>
    public bool KeepsRawEvents { get; init; } = true;

    /// <summary>Gets how many events arrived for this turn.</summary>
    public int EventCount { get; private set; }

    /// <summary>Gets whether the terminal event arrived.</summary>
    public bool IsFinished
    {
        get => Volatile.Read(ref _finished);
        private set => Volatile.Write(ref _finished, value);
    }

    private bool _finished;
    private ResponseIdleWatchdog? _watchdog;
    private readonly ServerEventPool _pool;

    /// <summary>Creates a turn whose consumed events go back to <paramref name="pool"/> (the channel's; a new one when null).</summary>
    public ResponseTurn(ServerEventPool? pool = null) => _pool = pool ?? new ServerEventPool();

    /// <summary>Starts the idle watchdog for this response (see <see cref="ResponseIdleWatchdog"/>).</summary>
    internal void WatchIdle(TimeProvider time, TimeSpan timeout, Action onExpired) =>
        WatchIdle(time, timeout, static action => ((Action)action!)(), onExpired);

    /// <summary>Starts the idle watchdog; <paramref name="onExpired"/> gets <paramref name="state"/> (no closure per turn).</summary>
    internal void WatchIdle(TimeProvider time, TimeSpan timeout, Action<object?> onExpired, object? state)
    {
        // The whole response may have arrived while the frame's send was completing.
        if (!IsFinished) _watchdog = ResponseIdleWatchdog.Start(time, timeout, onExpired, state);
    }

    /// <summary>Reads the next event; <see langword="null"/> after the terminal event has been read.</summary>
    /// <exception cref="ResponsesException">The connection broke before the terminal event.</exception>
    /// <remarks>
    /// On loopback the consumer usually waits for each event, so this await does not complete synchronously; the pooling
    /// builder of <see cref="EventQueue.ReadAsync"/> reuses its state machine box instead of allocating one per event.
    /// </remarks>
    public ValueTask<ServerEvent?> ReadAsync(CancellationToken cancellationToken) => _events.ReadAsync(cancellationToken);

    /// <summary>
    /// Hands back an event the consumer has finished with (mapped, its update yielded), so that the reader parses a later
    /// event into it instead of a new instance. The consumer must not touch it afterwards, and hands each event back once.
    /// </summary>
    public void Recycle(ServerEvent evt) => _pool.Return(evt);

    /// <summary>Takes a recycled event, if a consumer of this channel gave one back (the reader side).</summary>
    internal ServerEvent? TakeSpare() => _pool.Rent();

    internal void Write(ServerEvent evt)
    {
        EventCount++;
        _watchdog?.Touch();

        // Marked finished before the terminal event becomes readable: a consumer that has read it must never see the
        // turn as unfinished (it would abort a healthy socket).
        var terminal = evt.IsTerminal;
        if (terminal)
        {
            IsFinished = true;
            StopWatching();
        }

        _events.TryWrite(evt);
        if (terminal) _events.TryComplete();
    }

    internal void Fail(ResponsesException error)
    {
        StopWatching();
        _events.TryComplete(error);
    }

    /// <summary>Stops the idle watchdog (the response ended, failed, or was released unfinished).</summary>
    internal void StopWatching() => _watchdog?.Dispose();
}
