using System.Collections.Frozen;

namespace ResponsesWebSocket.Testing;

/// <summary>What tests observe: received requests, handshakes, open connections and duplicate items. Thread-safe.</summary>
internal sealed class ServerActivity(bool recordRequests)
{
    private readonly Lock _gate = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly List<IReadOnlyDictionary<string, string>> _handshakeHeaders = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _requestWaiters = [];
    private int _requestCount;
    private int _handshakeCount;
    private int _openConnections;
    private int _lastConnectionId;
    private int _duplicateItems;
    private int _refusedUpgrades;

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> HandshakeHeaders
    {
        get
        {
            lock (_gate)
            {
                return [.. _handshakeHeaders];
            }
        }
    }

    public int HandshakeCount => Volatile.Read(ref _handshakeCount);

    public int OpenConnectionCount => Volatile.Read(ref _openConnections);

    public int RefusedUpgradeCount => Volatile.Read(ref _refusedUpgrades);

    public int DuplicateItemCount => Volatile.Read(ref _duplicateItems);

    public void RecordRequest(ReceivedRequest request)
    {
        List<TaskCompletionSource> satisfied = [];
        lock (_gate)
        {
            _requestCount++;
            request.Sequence = _requestCount;
            if (recordRequests)
            {
                _requests.Add(request);
            }

            for (var i = _requestWaiters.Count - 1; i >= 0; i--)
            {
                if (_requestWaiters[i].Count <= _requestCount)
                {
                    satisfied.Add(_requestWaiters[i].Signal);
                    _requestWaiters.RemoveAt(i);
                }
            }
        }

        // Completed outside the lock; the continuations run asynchronously anyway.
        foreach (var signal in satisfied)
        {
            signal.TrySetResult();
        }
    }

    public Task WaitForRequestCountAsync(int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_requestCount >= count)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _requestWaiters.Add((count, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    public void RecordHandshakeAttempt(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var snapshot = headers.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            _handshakeHeaders.Add(snapshot);
        }
    }

    /// <summary>Counts an accepted upgrade and hands out the next connection id (1, 2, …).</summary>
    public int ConnectionOpened()
    {
        Interlocked.Increment(ref _handshakeCount);
        Interlocked.Increment(ref _openConnections);
        return Interlocked.Increment(ref _lastConnectionId);
    }

    /// <summary>Counts an upgrade answered with an error status instead of 101 (refusal mode, handshake fault, or auth).</summary>
    public void UpgradeRefused() => Interlocked.Increment(ref _refusedUpgrades);

    public void ConnectionClosed() => Interlocked.Decrement(ref _openConnections);

    /// <summary>Undoes <see cref="ConnectionOpened"/> when the upgrade fails after all.</summary>
    public void ConnectionFailed()
    {
        Interlocked.Decrement(ref _handshakeCount);
        Interlocked.Decrement(ref _openConnections);
    }

    public void AddDuplicateItems(int count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _duplicateItems, count);
        }
    }
}
