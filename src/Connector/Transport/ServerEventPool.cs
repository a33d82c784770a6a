using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// The events a channel's consumers have finished with, for its reader to parse the next events into (see
/// <see cref="ResponseTurn.Recycle"/>): one per channel, so the events of one turn are reused by the next.
/// </summary>
/// <remarks>
/// A response arrives in a burst on a fast connection, faster than its consumer maps it, so a single spare per turn would
/// rarely be free; a few kept across turns are. Kept small (an idle channel holds at most <see cref="Capacity"/> cleared
/// instances, about 1 KB) and cleared on return, so an idle channel keeps nothing of the last response alive.
/// </remarks>
internal sealed class ServerEventPool
{
    /// <summary>How many cleared events a channel keeps: a tool-call turn's events (created, in_progress, item added,
    /// argument delta and done, item done, completed) fit.</summary>
    public const int Capacity = 8;

    // Lock-free slots: each holds a free event or null, and changes only by compare-and-swap, so an instance sits in one
    // slot at most and is handed out once. In steady state the reader takes from, and the consumer returns to, slot 0:
    // one atomic operation each per event.
    private readonly ServerEvent?[] _items = new ServerEvent?[Capacity];

    /// <summary>Gets how many events are kept right now (tests).</summary>
    internal int Count => _items.Count(static e => e is not null);

    /// <summary>Takes a cleared event, or <see langword="null"/> when none is free.</summary>
    public ServerEvent? Rent()
    {
        for (var i = 0; i < _items.Length; i++)
        {
            if (Volatile.Read(ref _items[i]) is { } evt && ReferenceEquals(Interlocked.CompareExchange(ref _items[i], null, evt), evt))
            {
                return evt;
            }
        }

        return null;
    }

    /// <summary>Clears an event nobody uses any more and keeps it, unless the pool is full.</summary>
    public void Return(ServerEvent evt)
    {
        evt.Reset();
        for (var i = 0; i < _items.Length; i++)
        {
            if (Volatile.Read(ref _items[i]) is null && Interlocked.CompareExchange(ref _items[i], evt, null) is null)
            {
                return;
            }
        }
    }
}
