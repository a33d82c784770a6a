namespace ResponsesWebSocket.Transport;

/// <summary>
/// Ends a response that goes too long without any event from the server: a stalled server or proxy would otherwise hold
/// the call, and its pool slot, forever (keep-alive pings only prove the TCP path, not that the response moves).
/// </summary>
/// <remarks>
/// One timer per response, armed once; an event only stamps the time (<see cref="Touch"/>), so the per-event cost is one
/// timestamp read. When the timer fires it re-arms for the remaining time if an event came in meanwhile, which keeps the
/// deadline exact without touching the timer queue on every event.
/// </remarks>
internal sealed class ResponseIdleWatchdog : IDisposable
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly Action<object?> _onExpired;
    private readonly object? _state;
    private readonly ITimer _timer;
    private long _lastActivity;
    private int _ended;

    /// <summary>The failure of a response that went <paramref name="timeout"/> without an event, on any transport.</summary>
    /// <param name="timeout">The configured <c>ResponseIdleTimeout</c>.</param>
    /// <param name="aborted">What the channel aborted, for the message ("connection", "request").</param>
    public static ResponsesException Expired(TimeSpan timeout, string aborted) => new(ResponsesErrorKind.ResponseTimeout,
        $"The server sent no event for {timeout.TotalSeconds:0.#} s while a response was in flight (ResponseIdleTimeout); the {aborted} was aborted.");

    private ResponseIdleWatchdog(TimeProvider time, TimeSpan timeout, Action<object?> onExpired, object? state)
    {
        _state = state;
        _time = time;
        _timeout = timeout;
        _onExpired = onExpired;
        _lastActivity = time.GetTimestamp();
        _timer = time.CreateTimer(static state => ((ResponseIdleWatchdog)state!).OnTimer(), this, timeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts watching, or returns <see langword="null"/> when the timeout is infinite.</summary>
    /// <param name="time">The clock (tests substitute a manual one).</param>
    /// <param name="timeout">The longest allowed silence.</param>
    /// <param name="onExpired">Called once, on a timer thread, when the silence lasted <paramref name="timeout"/>.</param>
    /// <param name="state">Passed to <paramref name="onExpired"/>, so that a channel can pass one callback for all its turns.</param>
    public static ResponseIdleWatchdog? Start(TimeProvider time, TimeSpan timeout, Action<object?> onExpired, object? state) =>
        timeout == Timeout.InfiniteTimeSpan ? null : new ResponseIdleWatchdog(time, timeout, onExpired, state);

    /// <summary>Records that the server sent something.</summary>
    public void Touch() => Volatile.Write(ref _lastActivity, _time.GetTimestamp());

    /// <summary>Stops watching; <c>onExpired</c> is not called after this returns unless it was already running.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _ended, 1);
        _timer.Dispose();
    }

    private void OnTimer()
    {
        if (Volatile.Read(ref _ended) != 0) return;
        var silence = _time.GetElapsedTime(Volatile.Read(ref _lastActivity));
        if (silence < _timeout)
        {
            _timer.Change(_timeout - silence, Timeout.InfiniteTimeSpan);
            return;
        }

        if (Interlocked.Exchange(ref _ended, 1) == 0) _onExpired(_state);
    }
}
