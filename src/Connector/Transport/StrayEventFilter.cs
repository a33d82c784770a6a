using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// Tells whether an event belongs to the response in flight on one connection, so that events of another response
/// (a stray delta after completion, a late terminal, a terminal for a different id) never reach the wrong call.
/// </summary>
/// <remarks>
/// <para>A well-behaved server never interleaves responses on a socket; a proxy or a buggy compatible server can. The
/// rules: an event whose response id or item id belongs to an earlier response on this socket is foreign; once the turn
/// knows its response id (from <c>response.created</c>), a snapshot with another id is foreign; output events (items,
/// parts, deltas) before the turn's first snapshot are foreign, because every response starts with
/// <c>response.created</c>. Errors and unknown event types are never filtered here: an <c>error</c> carries no id, so a
/// late one cannot be told apart from a real one once a request is in flight.</para>
/// <para>Only the reader loop calls it (single-threaded). The remembered ids are bounded, so a hostile stream cannot grow
/// them without limit.</para>
/// </remarks>
internal sealed class StrayEventFilter
{
    private const int MaxRememberedIds = 512;

    private readonly HashSet<string> _earlierIds = new(StringComparer.Ordinal);
    private readonly Queue<string> _earlierOrder = new();
    private readonly HashSet<string> _currentIds = new(StringComparer.Ordinal);
    private ResponseTurn? _turn;

    /// <summary>Returns <see langword="null"/> when <paramref name="evt"/> belongs to <paramref name="turn"/>, otherwise why not.</summary>
    public string? Check(ServerEvent evt, ResponseTurn turn)
    {
        if (!ReferenceEquals(turn, _turn))
        {
            RetireCurrent();
            _turn = turn;
        }

        var responseId = evt.Response?.Id;
        var itemId = evt.Item?.Id ?? evt.ItemId;
        if (responseId is not null && _earlierIds.Contains(responseId))
        {
            return "it belongs to an earlier response";
        }

        if (itemId is not null && _earlierIds.Contains(itemId))
        {
            return "its item belongs to an earlier response";
        }

        if (turn.ResponseId is { } own && responseId is not null && responseId != own)
        {
            return "it carries another response id";
        }

        if (turn.ResponseId is null && responseId is null && IsOutputEvent(evt.Type))
        {
            return "it arrived before the response was created";
        }

        Remember(responseId);
        Remember(itemId);
        return null;
    }

    private static bool IsOutputEvent(ServerEventType type) =>
        type is >= ServerEventType.OutputItemAdded and <= ServerEventType.ReasoningTextDone;

    private void Remember(string? id)
    {
        if (id is not null && _currentIds.Count < MaxRememberedIds) _currentIds.Add(id);
    }

    private void RetireCurrent()
    {
        foreach (var id in _currentIds)
        {
            if (!_earlierIds.Add(id)) continue;
            _earlierOrder.Enqueue(id);
            if (_earlierOrder.Count > MaxRememberedIds) _earlierIds.Remove(_earlierOrder.Dequeue());
        }

        _currentIds.Clear();
    }
}
