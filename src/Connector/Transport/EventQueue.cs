using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// The events of one turn, from the connection's reader (or a timer failing the turn) to the one caller reading them:
/// an unbounded queue with one reader, read with a <see cref="ValueTask"/> that completes on the thread pool, never
/// inline on the writer's thread. It replaces a <c>Channel&lt;ServerEvent&gt;</c>, which cost about 1.2 KB per turn (its
/// segment, completion task and reader and writer objects) for exactly this: a turn is one short burst of events.
/// </summary>
/// <remarks>
/// Semantics kept from the channel it replaces: events are read in order; after <see cref="TryComplete"/> the events
/// already queued are still read, then the read returns <see langword="null"/> or throws the completion error; writes
/// after completion are dropped; a read with a cancelled token throws <see cref="OperationCanceledException"/>, also
/// while it waits, and the queue stays usable. The waiter is one reusable
/// <see cref="ManualResetValueTaskSourceCore{TResult}"/> (this object is its <see cref="IValueTaskSource{TResult}"/>),
/// armed and woken under the queue's lock, so exactly one wake-up or cancellation completes each wait.
/// </remarks>
internal sealed class EventQueue : IValueTaskSource<bool>
{
    // Also the lock: private, never exposed.
    private readonly Queue<ServerEvent> _items = new(8);
    private ManualResetValueTaskSourceCore<bool> _waiter = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private bool _completed;
    private ResponsesException? _error;

    /// <summary>Queues an event; <see langword="false"/> (and dropped) after completion.</summary>
    public bool TryWrite(ServerEvent evt)
    {
        bool wake;
        lock (_items)
        {
            if (_completed) return false;
            _items.Enqueue(evt);
            wake = TakeWaiter();
        }

        if (wake) _waiter.SetResult(true);
        return true;
    }

    /// <summary>Ends the queue, with <paramref name="error"/> for the reader once the queued events are read; only the first call counts.</summary>
    public bool TryComplete(ResponsesException? error = null)
    {
        bool wake;
        lock (_items)
        {
            if (_completed) return false;
            _completed = true;
            _error = error;
            wake = TakeWaiter();
        }

        if (wake) _waiter.SetResult(true);
        return true;
    }

    /// <summary>Reads the next event; <see langword="null"/> once the queue completed without an error and is empty.</summary>
    /// <exception cref="ResponsesException">The queue completed with this error and is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ServerEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            short version;
            lock (_items)
            {
                if (_items.TryDequeue(out var evt)) return evt;
                if (_completed) return _error is null ? null : throw _error;
                _waiter.Reset();
                version = _waiter.Version;
                _waiting = true;
            }

            // A token that cannot be cancelled registers nothing (and allocates nothing).
            using (cancellationToken.UnsafeRegister(static (state, token) => ((EventQueue)state!).CancelWait(token), this))
            {
                await new ValueTask<bool>(this, version).ConfigureAwait(false);
            }
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _waiter.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _waiter.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waiter.OnCompleted(continuation, state, token, flags);

    private void CancelWait(CancellationToken token)
    {
        bool wake;
        lock (_items)
        {
            wake = TakeWaiter();
        }

        if (wake) _waiter.SetException(new OperationCanceledException(token));
    }

    // Called under the lock: whoever disarms the waiter completes it, so each wait is completed exactly once.
    private bool TakeWaiter()
    {
        if (!_waiting) return false;
        _waiting = false;
        return true;
    }
}
