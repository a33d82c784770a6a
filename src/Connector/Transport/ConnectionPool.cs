namespace ResponsesWebSocket.Transport;

/// <summary>
/// A fixed number of <see cref="ConnectionSlot"/>s shared by the conversations of one client.
/// </summary>
/// <remarks>
/// <para>A chained turn asks for the slot whose socket holds its previous response. A new chain (or one whose socket lost
/// the cache) takes a free slot in this order: a connected socket that holds no chain, an unused slot (a new socket, while
/// under the bound), then the least recently used free slot, whose chain is given up. With every slot busy it waits for
/// the least recently used one.</para>
/// <para>So up to <c>MaxConnections</c> conversations keep their chains side by side; beyond that the least recently
/// used conversation loses its connection-local cache, and its next turn goes out as a full create (transparently).</para>
/// </remarks>
internal sealed class ConnectionPool
{
    private readonly ConnectionSlot[] _slots;
    private readonly Lock _gate = new();

    public ConnectionPool(int maxConnections)
    {
        _slots = new ConnectionSlot[maxConnections];
        for (var i = 0; i < maxConnections; i++) _slots[i] = new ConnectionSlot(i);
    }

    /// <summary>Gets the slots (diagnostics and disposal).</summary>
    public IReadOnlyList<ConnectionSlot> Slots => _slots;

    /// <summary>Takes <paramref name="preferred"/> when given (waiting for it), otherwise the best slot for a new chain.</summary>
    /// <param name="preferred">The slot whose socket holds the previous response of this conversation.</param>
    /// <param name="holdsLiveChain">Tells whether a socket's latest response is still a tracked conversation.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<ConnectionSlot> AcquireAsync(ConnectionSlot? preferred, Func<WebSocketConnection, bool> holdsLiveChain, CancellationToken cancellationToken)
    {
        if (preferred is not null)
        {
            await preferred.WaitAsync(cancellationToken).ConfigureAwait(false);
            return preferred;
        }

        ConnectionSlot fallback;
        lock (_gate)
        {
            ConnectionSlot? chainless = null, empty = null, leastRecent = null;
            foreach (var slot in _slots)
            {
                if (!slot.IsFree) continue;
                var connection = slot.Connection;
                if (connection is { IsUsable: true } && !holdsLiveChain(connection)) chainless ??= slot;
                else if (connection is null || !connection.IsUsable) empty ??= slot;
                else if (leastRecent is null || slot.LastUsed < leastRecent.LastUsed) leastRecent = slot;
            }

            foreach (var candidate in new[] { chainless, empty, leastRecent })
            {
                if (candidate is not null && candidate.TryTake()) return candidate;
            }

            fallback = _slots.MinBy(static s => s.LastUsed)!;
        }

        await fallback.WaitAsync(cancellationToken).ConfigureAwait(false);
        return fallback;
    }
}
