using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Diagnostics;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// One place in the <see cref="ConnectionPool"/>: at most one socket at a time, used by one turn at a time.
/// </summary>
/// <remarks>
/// The slot outlives its sockets: when a socket dies or ages out, the next turn on the slot opens a new one. Chains are
/// attached to the socket, not the slot, so a replaced socket correctly reads as "chain lost".
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification =
    "The SemaphoreSlim never allocates a wait handle (AvailableWaitHandle is not used), and a turn may still release it after the client is disposed.")]
internal sealed class ConnectionSlot
{
    private readonly SemaphoreSlim _turnLock = new(1, 1);

    public ConnectionSlot(int index) => Index = index;

    /// <summary>Gets the slot's position in the pool (for logs and diagnostics).</summary>
    public int Index { get; }

    /// <summary>Gets the current socket, if one was opened.</summary>
    public WebSocketConnection? Connection { get; private set; }

    /// <summary>Gets when a turn last used the slot.</summary>
    public DateTimeOffset LastUsed { get; private set; }

    /// <summary>Gets whether no turn holds the slot right now.</summary>
    public bool IsFree => _turnLock.CurrentCount > 0;

    /// <summary>Waits until the slot is free and takes it.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _turnLock.WaitAsync(cancellationToken);

    /// <summary>Takes the slot if it is free right now.</summary>
    public bool TryTake() => _turnLock.Wait(0);

    /// <summary>Frees the slot for the next turn.</summary>
    public void Release(DateTimeOffset now)
    {
        LastUsed = now;
        _turnLock.Release();
    }

    /// <summary>Returns the slot's socket, replacing it first when it is closed, broken or older than <paramref name="maxAge"/>.</summary>
    /// <remarks>Only the turn holding the slot calls this.</remarks>
    public async ValueTask<WebSocketConnection> GetConnectionAsync(WebSocketConnector connector, TimeSpan maxAge, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var current = Connection;
        if (current is not null)
        {
            var age = time.GetUtcNow() - current.OpenedAt;
            if (current.IsUsable && age < maxAge)
            {
                return current;
            }

            Log.ReplacingConnection(logger, current.Id, current.IsUsable ? "it reached the maximum connection age" : "it is closed or broken");
            Connection = null;
            await current.DisposeAsync().ConfigureAwait(false);
        }

        var opened = await connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
        Connection = opened;
        return opened;
    }

    /// <summary>Closes the slot's socket.</summary>
    public async ValueTask CloseAsync()
    {
        var connection = Connection;
        Connection = null;
        if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
    }
}
