using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// Tells whether an event belongs to the response in flight on one connection, so that events of another response
/// (a stray delta after completion, a late terminal) never reach the wrong call.
/// </summary>
/// <remarks>
/// <para>A well-behaved server never interleaves responses on a socket; a proxy or a buggy compatible server can. An event
/// is foreign when its response id, or the id of the item it carries, is known to belong to an earlier response on this
/// socket, or when it is output (items, parts, deltas) arriving before the turn's first snapshot (every response starts
/// with <c>response.created</c>).</para>
/// <para>An id never seen before is not treated as foreign: some proxies (GitHub Copilot's Responses endpoint, see the
/// recorded <c>github-copilot-id-rotation</c> stream) give every event of one response a fresh response or item id. The
/// turn keeps the first response id it saw, so a call's updates never carry two. Errors and unknown event types are never
/// filtered here: an <c>error</c> carries no id. A turn's own <c>response.created</c> that reuses an earlier id shows a
/// server that reuses ids; the earlier ids are then forgotten, so the response is never taken for a stray.</para>
/// <para>Only the reader loop calls it (single-threaded). Only snapshot ids and the ids of announced items are remembered,
/// and both sets are bounded, so a stream of fresh ids cannot grow them.</para>
/// </remarks>
internal sealed class StrayEventFilter
{
    private const int MaxRememberedIds = 256;

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
        if (evt.Type == ServerEventType.ResponseCreated && turn.ResponseId is null && responseId is not null && _earlierIds.Contains(responseId))
        {
            // The turn's own response.created naming an earlier response: this server reuses ids (a counter per
            // connection, say), so ids cannot tell strays apart on it. Forget them rather than drop the new response
            // and leave the call waiting for ResponseIdleTimeout.
            _earlierIds.Clear();
            _earlierOrder.Clear();
        }

        if (responseId is not null && _earlierIds.Contains(responseId))
        {
            return "it belongs to an earlier response";
        }

        if (itemId is not null && _earlierIds.Contains(itemId))
        {
            return "its item belongs to an earlier response";
        }

        if (turn.ResponseId is null && responseId is null && IsOutputEvent(evt.Type))
        {
            return "it arrived before the response was created";
        }

        Remember(responseId);
        Remember(evt.Item?.Id);
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
