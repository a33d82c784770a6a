namespace ResponsesWebSocket.Transport;

/// <summary>
/// A fixed number of <see cref="ConnectionSlot"/>s shared by the conversations of one client, handed out fairly.
/// </summary>
/// <remarks>
/// <para>A chained turn takes the slot whose socket holds its previous response when that slot is free. A new chain (or
/// one whose socket lost the cache) takes a free slot in this order: a connected socket that holds no chain, an unused
/// slot (a new socket, while under the bound), then the least recently used free slot, whose chain is given up.</para>
/// <para>With every slot busy, callers wait in one first-come, first-served queue, and each slot that frees goes to the
/// caller at the head of the queue, whichever slot it is: sixteen calls on four sockets run four at a time, never queued
/// behind one socket while the others idle. A chained turn whose own slot is busy queues the same way, on purpose: the
/// slot is busy with another conversation's response, which replaces the socket's cached response, so by the time the
/// slot frees the chain is lost anyway and a full create on whichever slot frees first is the faster path. (When the
/// holder is the same conversation finishing its previous turn, its slot is usually the next to free, and the chain
/// holds.)</para>
/// <para>So up to <c>MaxConnections</c> conversations keep their chains side by side; beyond that the least recently
/// used conversation loses its connection-local cache, and its next turn goes out as a full create (transparently).</para>
/// </remarks>
internal sealed class ConnectionPool
{
    private readonly ConnectionSlot[] _slots;
    private readonly Lock _gate = new();
    private readonly LinkedList<TaskCompletionSource<ConnectionSlot>> _waiters = new();
    private bool _disposed;

    public ConnectionPool(int maxConnections)
    {
        _slots = new ConnectionSlot[maxConnections];
        for (var i = 0; i < maxConnections; i++) _slots[i] = new ConnectionSlot(i);
    }

    /// <summary>Gets the slots (diagnostics and disposal).</summary>
    public IReadOnlyList<ConnectionSlot> Slots => _slots;

    /// <summary>Gets how many callers are waiting for a slot.</summary>
    public int WaiterCount
    {
        get { lock (_gate) return _waiters.Count; }
    }

    /// <summary>
    /// Takes the slot whose channel caches <paramref name="chainResponseId"/> when it is free, otherwise the best free slot,
    /// otherwise the first slot to free.
    /// </summary>
    /// <param name="chainResponseId">The previous response of this conversation, when it has one: the chain's anchor is
    /// the open channel whose connection-local cache holds it.</param>
    /// <param name="holdsLiveChain">Tells whether a socket's latest response is still a tracked conversation.</param>
    /// <param name="cancellationToken">Cancels the wait (the caller leaves the queue).</param>
    /// <exception cref="ObjectDisposedException">The pool was disposed, before or while waiting.</exception>
    public async ValueTask<ConnectionSlot> AcquireAsync(string? chainResponseId, Func<IResponseChannel, bool> holdsLiveChain, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<ConnectionSlot> waiter;
        LinkedListNode<TaskCompletionSource<ConnectionSlot>> node;
        lock (_gate)
        {
            if (_disposed) throw new ObjectDisposedException(TransportSettings.OwnerName, "The client was disposed.");
            if (AnchorOf(chainResponseId) is { IsBusy: false } anchor) return Take(anchor);

            // A free slot and a queued waiter never coexist (a freed slot goes straight to the head of the queue), so
            // taking a free slot here never overtakes anyone.
            if (BestFreeSlot(holdsLiveChain) is { } free) return Take(free);

            waiter = new TaskCompletionSource<ConnectionSlot>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        using (cancellationToken.Register(() => LeaveQueue(node, cancellationToken)))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Frees a slot: it goes to the first waiter in the queue, if any.</summary>
    /// <param name="slot">The slot the caller took.</param>
    /// <param name="now">When it was last used (for least-recently-used choices).</param>
    public void Release(ConnectionSlot slot, DateTimeOffset now)
    {
        TaskCompletionSource<ConnectionSlot>? next = null;
        lock (_gate)
        {
            slot.LastUsed = now;
            if (!_disposed && _waiters.First is { } head)
            {
                _waiters.RemoveFirst();
                next = head.Value;
            }
            else
            {
                slot.IsBusy = false;
            }
        }

        // The slot stays busy: it changes hands without ever looking free, so nobody can slip in between.
        next?.SetResult(slot);
    }

    /// <summary>Refuses new callers and fails every queued one with <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        List<TaskCompletionSource<ConnectionSlot>> queued;
        lock (_gate)
        {
            _disposed = true;
            queued = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var waiter in queued)
        {
            waiter.TrySetException(new ObjectDisposedException(TransportSettings.OwnerName, "The client was disposed while this call waited for a connection."));
        }
    }

    private void LeaveQueue(LinkedListNode<TaskCompletionSource<ConnectionSlot>> node, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Not in the list any more: a slot was already handed over (the caller releases it) or the pool was disposed.
            if (node.List is null) return;
            _waiters.Remove(node);
        }

        node.Value.TrySetCanceled(cancellationToken);
    }

    /// <summary>The slot whose open channel caches the response (a linear scan: pools hold a handful of slots).</summary>
    private ConnectionSlot? AnchorOf(string? responseId)
    {
        if (responseId is null) return null;
        foreach (var slot in _slots)
        {
            if (slot.Channel is { IsOpen: true } channel && channel.CachedResponseId == responseId) return slot;
        }

        return null;
    }

    private ConnectionSlot? BestFreeSlot(Func<IResponseChannel, bool> holdsLiveChain)
    {
        ConnectionSlot? chainless = null, empty = null, leastRecent = null;
        foreach (var slot in _slots)
        {
            if (slot.IsBusy) continue;
            var connection = slot.Channel;
            if (connection is { IsUsable: true } && !holdsLiveChain(connection)) chainless ??= slot;
            else if (connection is null || !connection.IsUsable) empty ??= slot;
            else if (leastRecent is null || slot.LastUsed < leastRecent.LastUsed) leastRecent = slot;
        }

        return chainless ?? empty ?? leastRecent;
    }

    private static ConnectionSlot Take(ConnectionSlot slot)
    {
        slot.IsBusy = true;
        return slot;
    }
}
