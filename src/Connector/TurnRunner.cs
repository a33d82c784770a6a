using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket;

/// <summary>
/// Runs one planned turn: takes a pooled socket, sends the frame chained or full, streams the updates, recovers what can
/// be recovered before anything was surfaced, and records the completed response in the transcript store.
/// </summary>
/// <remarks>
/// Recovery happens at most once per call and only while nothing has been yielded to the caller: a socket that died before
/// the first event or hit the 60-minute limit (new socket, full create), and <c>previous_response_not_found</c> (full
/// create on the same socket). Everything else surfaces as a <see cref="ResponsesException"/>.
/// </remarks>
internal sealed class TurnRunner
{
    private readonly ResponsesWebSocketChatClientOptions _options;
    private readonly WebSocketConnector _connector;
    private readonly ConnectionPool _pool;
    private readonly TranscriptStore _store;
    private readonly EncryptedReasoningPolicy _reasoning;
    private readonly ILogger _logger;
    private readonly ClientTelemetry _telemetry;

    public TurnRunner(ResponsesWebSocketChatClientOptions options, WebSocketConnector connector, ConnectionPool pool, TranscriptStore store, EncryptedReasoningPolicy reasoning, ILogger logger, ClientTelemetry telemetry)
    {
        _telemetry = telemetry;
        _options = options;
        _connector = connector;
        _pool = pool;
        _store = store;
        _reasoning = reasoning;
        _logger = logger;
    }

    /// <param name="plan">The planned turn.</param>
    /// <param name="request">The create request (its input is filled here).</param>
    /// <param name="forResponse">The updates are only merged into one response (a non-streaming call): the mapper skips the
    /// per-delta updates that merging would fold anyway (see <see cref="ResponseUpdateMapper"/>).</param>
    /// <param name="cancellationToken">Cancels the turn (the socket is then aborted).</param>
    public async IAsyncEnumerable<ChatResponseUpdate> RunAsync(ConversationPlan plan, CreateRequest request, bool forResponse, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var preferred = plan.Parent is { Slot: { } parentSlot } parent && parent.IsCachedOn(parentSlot.Connection) ? parentSlot : null;
        var slot = await _pool.AcquireAsync(preferred, HoldsLiveChain, cancellationToken).ConfigureAwait(false);
        WebSocketConnection? connection = null;
        ResponseTurn? turn = null;
        try
        {
            var forceFull = false;

            // One transparent resend for a broken socket or chain, and separately one for a model that rejects the
            // encrypted-reasoning include: a first call to such a model may need both.
            var resent = false;
            for (var attempt = 0; ; attempt++)
            {
                connection = await slot.GetConnectionAsync(_connector, _options.MaxConnectionAge, _options.TimeProvider, _logger, cancellationToken).ConfigureAwait(false);
                // A pooled frame, given back once sent (a resend writes a new one): no frame-sized allocation per turn.
                (ResponseTurn? Turn, ResponsesException? Error) sent;
                var frame = BuildFrame(plan, request, connection, forceFull, attempt);
                try
                {
                    sent = await TrySendAsync(connection, frame.Memory, keepRawEvents: !forResponse, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    frame.Dispose();
                }

                if (sent.Error is not null)
                {
                    if (!resent) { resent = true; Log.ResendingRequest(_logger, sent.Error.Message, sent.Error); _telemetry.Resent("send_failed"); continue; }
                    throw sent.Error;
                }

                turn = sent.Turn!;
                var sentAt = _options.TimeProvider.GetTimestamp();
                var mapper = plan.ReportConversationId
                    ? new ResponseUpdateMapper(plan.ServerConversationId, conversationIdIsResponseId: true, forResponse)
                    : new ResponseUpdateMapper(forResponse: forResponse);
                var retry = false;
                while (true)
                {
                    var next = await TryReadAsync(turn, cancellationToken).ConfigureAwait(false);
                    if (next.Error is not null)
                    {
                        // A socket that died before the response produced anything is replayed once on a new socket.
                        if (next.Error.Kind == ResponsesErrorKind.ConnectionClosed && turn.EventCount == 0 && !resent)
                        {
                            resent = true;
                            Log.ResendingRequest(_logger, next.Error.Message, next.Error);
                            _telemetry.Resent("connection_closed");
                            retry = true;
                            break;
                        }

                        var failure = ErrorMapper.WithContext(next.Error, mapper.ResponseId, mapper.OutputSurfaced);
                        Log.ResponseError(_logger, failure.Kind, failure.Code, failure.Message, failure);
                        if (failure.OutputSurfaced) yield return ErrorUpdate(mapper, plan, failure);
                        throw failure;
                    }

                    var evt = next.Event;
                    if (evt is null) break;
                    if (sentAt != 0) { _telemetry.FirstEvent(_options.TimeProvider.GetElapsedTime(sentAt)); sentAt = 0; }
                    if (evt.Type is ServerEventType.Error or ServerEventType.ResponseFailed)
                    {
                        var failure = evt.Type == ServerEventType.Error
                            ? ErrorMapper.FromErrorEvent(evt.Error!, mapper.ResponseId, mapper.OutputSurfaced)
                            : ErrorMapper.FromFailedResponse(evt.Response, mapper.OutputSurfaced);
                        // A lost chain is only rebuilt from a transcript this client holds; a passed-through id without one
                        // must surface, or the turn would silently go out without its history.
                        var canRebuild = failure.Code != "previous_response_not_found" || plan.Parent is not null;
                        if (!mapper.OutputSurfaced && !resent && canRebuild && failure.Code is "websocket_connection_limit_reached" or "previous_response_not_found")
                        {
                            // The 60-minute limit needs a new socket; a lost chain needs the full input (the socket is fine).
                            if (failure.Code == "websocket_connection_limit_reached") connection.Retire();
                            else forceFull = true;
                            resent = true;
                            Log.ResendingRequest(_logger, failure.Message, failure);
                            _telemetry.Resent(failure.Code!);
                            retry = true;
                            break;
                        }

                        // A model without reasoning rejects the include this client adds by default; the error evicted the
                        // socket's cache, so the resend goes out as a full create.
                        if (!mapper.OutputSurfaced && _reasoning.TryFallBack(request, failure))
                        {
                            _telemetry.Resent("encrypted_reasoning_unsupported");
                            retry = true;
                            break;
                        }

                        Log.ResponseError(_logger, failure.Kind, failure.Code, failure.Message, failure);
                        if (failure.OutputSurfaced) yield return ErrorUpdate(mapper, plan, failure);
                        throw failure;
                    }

                    if (evt.IsTerminal && mapper.ResponseId is null && evt.Response?.Id is null)
                    {
                        throw new ResponsesException(ResponsesErrorKind.ProtocolViolation, "The response ended without ever carrying a response id.");
                    }

                    var update = Map(mapper, evt);
                    if (evt.IsTerminal)
                    {
                        // Record before the final update is yielded: a caller may continue from its ConversationId at once.
                        Record(plan, slot, connection, mapper);
                        Log.ResponseFinished(_logger, mapper.ResponseId, mapper.FinalResponse?.Status);
                    }

                    while (mapper.TakeReleased() is { } earlier) yield return earlier;
                    if (update is not null) yield return update;
                    if (evt.IsTerminal) break;
                }

                if (!retry) yield break;
                connection.Release(turn);
                turn = null;
            }
        }
        finally
        {
            if (connection is not null && turn is not null)
            {
                // Anything short of a terminal event means the rest of the response is still coming: kill the socket.
                if (!turn.IsFinished) connection.Abandon();
                connection.Release(turn);
            }

            _pool.Release(slot, _options.TimeProvider.GetUtcNow());
        }
    }

    private RentedFrame BuildFrame(ConversationPlan plan, CreateRequest request, WebSocketConnection connection, bool forceFull, int attempt)
    {
        var (previousResponseId, status) = plan.Decide(connection, forceFull);
        request.PreviousResponseId = previousResponseId;
        request.Input.Clear();
        AddSendable(request, previousResponseId is null ? plan.FullInput() : plan.NewItems);
        var frame = CreateRequestWriter.WriteRented(request, RequestTransport.WebSocket);
        Log.SendingCreate(_logger, connection.Id, status, request.Input.Count, frame.Length);

        var sentItems = request.Input.Count;
        long measuredFullBytes = frame.Length;
        if (_options.RequestSent is not null || _telemetry.MeasuresAvoidedBytes)
        {
            long fullBytes = frame.Length;
            var fullItems = sentItems;
            if (previousResponseId is not null)
            {
                // Only measured when someone is watching: what the same turn would have cost as a full create.
                request.PreviousResponseId = null;
                request.Input.Clear();
                AddSendable(request, plan.FullInput());
                fullItems = request.Input.Count;
                fullBytes = CreateRequestWriter.MeasureLength(request, RequestTransport.WebSocket);
                request.PreviousResponseId = previousResponseId;
            }

            measuredFullBytes = fullBytes;
            _options.RequestSent?.Invoke(new ResponsesRequestInfo
            {
                Status = status,
                PreviousResponseId = previousResponseId,
                ItemsSent = sentItems,
                BytesSent = frame.Length,
                FullHistoryItems = fullItems,
                FullHistoryBytes = fullBytes,
                ConnectionId = connection.Id,
                Attempt = attempt,
            });
        }

        _telemetry.FrameSent(status, sentItems, frame.Length, measuredFullBytes);
        return frame;
    }

    /// <summary>
    /// Adds the items to the frame, leaving out, with <c>store=false</c>, reasoning items that carry an id but no encrypted
    /// content: nothing is persisted, so the service cannot resolve them and would reject the whole request (404).
    /// They come from responses that did not ask for encrypted reasoning, or from a caller's history.
    /// </summary>
    private static void AddSendable(CreateRequest request, List<InputItem> items)
    {
        if (request.Store)
        {
            request.Input.AddRange(items);
            return;
        }

        foreach (var item in items)
        {
            if (!item.IsIdOnlyReasoning) request.Input.Add(item);
        }
    }

    private void Record(ConversationPlan plan, ConnectionSlot slot, WebSocketConnection connection, ResponseUpdateMapper mapper)
    {
        var responseId = mapper.ResponseId ?? mapper.FinalResponse?.Id;
        if (responseId is null) return;
        var items = new List<InputItem>(plan.NewItems.Count + mapper.OutputItems.Count);
        items.AddRange(plan.NewItems);
        items.AddRange(mapper.OutputItems);
        _store.Add(new ResponseNode(plan.Parent, items, responseId, plan.Fingerprint, plan.Store, slot, connection, _options.TimeProvider.GetUtcNow()));
    }

    private bool HoldsLiveChain(WebSocketConnection connection) =>
        connection.LastResponseId is { } id && _store.Contains(id);

    private static ChatResponseUpdate ErrorUpdate(ResponseUpdateMapper mapper, ConversationPlan plan, ResponsesException failure) =>
        new(ChatRole.Assistant, [ErrorMapper.ToContent(failure)])
        {
            MessageId = mapper.ResponseId,
            ResponseId = mapper.ResponseId,
            ConversationId = plan.ReportConversationId ? plan.ServerConversationId ?? plan.Parent?.ResponseId : null,
            ModelId = mapper.ModelId,
            CreatedAt = mapper.CreatedAt,
        };

    /// <summary>
    /// Maps one event; whatever the mapper cannot make sense of is the server's data at fault, so it surfaces as a
    /// protocol violation rather than a raw exception (the turn is then abandoned and its socket aborted).
    /// </summary>
    private static ChatResponseUpdate? Map(ResponseUpdateMapper mapper, ServerEvent evt)
    {
        try
        {
            return mapper.Map(evt);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException
            or NullReferenceException or IndexOutOfRangeException or System.Text.Json.JsonException)
        {
            throw new ResponsesException(ResponsesErrorKind.ProtocolViolation, $"The client could not map a {evt.Type} event from the server: {ex.Message}", innerException: ex);
        }
    }

    private static async ValueTask<(ResponseTurn? Turn, ResponsesException? Error)> TrySendAsync(WebSocketConnection connection, ReadOnlyMemory<byte> frame, bool keepRawEvents, CancellationToken cancellationToken)
    {
        try
        {
            return (await connection.SendAsync(frame, keepRawEvents, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ResponsesException ex)
        {
            return (null, ex);
        }
    }

    // Awaited once per event: the pooling builder reuses its state machine box (see ResponseTurn.ReadAsync).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<(ServerEvent? Event, ResponsesException? Error)> TryReadAsync(ResponseTurn turn, CancellationToken cancellationToken)
    {
        try
        {
            return (await turn.ReadAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (ResponsesException ex)
        {
            return (null, ex);
        }
    }
}
