namespace ResponsesWebSocket.Tests.Support;

/// <summary>
/// A clock the test moves by hand: socket age, transcript expiry and response idle timeouts are checked against it instead
/// of waiting. Timers created from it fire during <see cref="Advance"/>, on the advancing thread, in due order.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<TaskCompletionSource> _armWaiters = [];
    private DateTimeOffset _now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Gets how many timers are armed (e.g. a response's idle watchdog).</summary>
    public int ArmedTimerCount
    {
        get { lock (_gate) return _timers.Count(static t => t.DueAt is not null); }
    }

    /// <summary>Completes when a timer is armed after this call (e.g. the idle watchdog of a response just sent).</summary>
    public Task WaitForTimerArmedAsync()
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _armWaiters.Add(waiter);
        return waiter.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_gate) target = _now + by;
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.DueAt <= target).MinBy(static t => t.DueAt);
                // Never backwards: threads may advance concurrently (the load test moves the clock per tool call), and
                // one that started earlier must not undo another's progress.
                if (next is null)
                {
                    if (target > _now) _now = target;
                    return;
                }

                if (next.DueAt!.Value > _now) _now = next.DueAt.Value;
                next.DueAt = next.Period is { } period ? _now + period : null;
            }

            next.Fire();
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate) _timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? DueAt { get; set; }

        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            List<TaskCompletionSource> armed = [];
            lock (owner._gate)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
                if (DueAt is not null)
                {
                    armed.AddRange(owner._armWaiters);
                    owner._armWaiters.Clear();
                }
            }

            foreach (var waiter in armed) waiter.TrySetResult();
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
