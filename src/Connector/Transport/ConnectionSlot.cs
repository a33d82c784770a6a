using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Diagnostics;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// One place in the <see cref="ConnectionPool"/>: at most one channel (socket) at a time, used by one turn at a time (the pool
/// hands slots out and takes them back).
/// </summary>
/// <remarks>
/// The slot outlives its sockets: when a socket dies or ages out, the next turn on the slot opens a new one. Chains are
/// attached to the socket, not the slot, so a replaced socket correctly reads as "chain lost".
/// </remarks>
internal sealed class ConnectionSlot
{
    public ConnectionSlot(int index) => Index = index;

    /// <summary>Gets the slot's position in the pool (for logs and diagnostics).</summary>
    public int Index { get; }

    /// <summary>Gets the current channel, if one was opened.</summary>
    public IResponseChannel? Channel { get; internal set; }

    /// <summary>Gets or sets when a turn last used the slot. Written by the pool under its lock.</summary>
    public DateTimeOffset LastUsed { get; set; }

    /// <summary>Gets or sets whether a turn holds the slot. Read and written by the pool under its lock only.</summary>
    public bool IsBusy { get; set; }

    /// <summary>
    /// Returns the slot's channel, replacing it first when it is closed, broken, older than <paramref name="maxAge"/>, or
    /// no longer the kind the factory opens (an HTTP fallback that ended).
    /// </summary>
    /// <remarks>Only the turn holding the slot calls this.</remarks>
    public async ValueTask<IResponseChannel> GetChannelAsync(ResponseChannelFactory factory, TimeSpan maxAge, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var current = Channel;
        if (current is not null)
        {
            var age = time.GetUtcNow() - current.OpenedAt;
            var usable = current.IsUsable;
            if (usable && age < maxAge && factory.IsCurrent(current))
            {
                return current;
            }

            Log.ReplacingConnection(logger, current.Id, !usable ? "it is closed or broken" : age >= maxAge ? "it reached the maximum connection age" : "the HTTP fallback period ended");
            Channel = null;
            await current.DisposeAsync().ConfigureAwait(false);
        }

        var opened = await factory.OpenAsync(cancellationToken).ConfigureAwait(false);
        Channel = opened;
        return opened;
    }
}
