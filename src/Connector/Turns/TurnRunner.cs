using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Turns;

/// <summary>
/// Runs one planned turn: takes a pooled channel, sends the request chained or full, streams the updates, recovers what
/// can be recovered before anything was surfaced (<see cref="TurnRecovery"/>), and records the completed response in
/// the transcript store.
/// </summary>
/// <remarks>
/// The runner sees channels only through <see cref="IResponseChannel"/>: the same turn runs over a WebSocket or over
/// HTTP with server-sent events. Everything else surfaces as a <see cref="ResponsesException"/>.
/// </remarks>
internal sealed class TurnRunner
{
    private readonly ResponsesWebSocketChatClientOptions _options;
    private readonly ResponseChannelFactory _channels;
    private readonly ConnectionPool _pool;
    private readonly TranscriptStore _store;
    private readonly SharedTranscripts? _shared;
    private readonly EncryptedReasoningPolicy _reasoning;
    private readonly ILogger _logger;
    private readonly ClientTelemetry _telemetry;

    // Made once: a method group passed as a delegate is a new delegate on every call.
    private readonly Func<IResponseChannel, bool> _holdsLiveChain;

    public TurnRunner(ResponsesWebSocketChatClientOptions options, ResponseChannelFactory channels, ConnectionPool pool, TranscriptStore store, SharedTranscripts? shared, EncryptedReasoningPolicy reasoning, ILogger logger, ClientTelemetry telemetry)
    {
        _shared = shared;
        _telemetry = telemetry;
        _options = options;
        _channels = channels;
        _pool = pool;
        _store = store;
        _reasoning = reasoning;
        _logger = logger;
        _holdsLiveChain = HoldsLiveChain;
    }

    /// <param name="plan">The planned turn.</param>
    /// <param name="request">The create request (its input is filled here).</param>
    /// <param name="forResponse">The updates are only merged into one response (a non-streaming call): the mapper skips the
    /// per-delta updates that merging would fold anyway (see <see cref="ResponseUpdateMapper"/>).</param>
    /// <param name="cancellationToken">Cancels the turn (the channel's response is then abandoned).</param>
    public async IAsyncEnumerable<ChatResponseUpdate> RunAsync(ConversationPlan plan, CreateRequest request, bool forResponse, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var slot = await _pool.AcquireAsync(plan.Parent?.ResponseId, _holdsLiveChain, cancellationToken).ConfigureAwait(false);
        IResponseChannel? channel = null;
        ResponseTurn? turn = null;
        try
        {
            var forceFull = false;
            var resent = false;
            for (var attempt = 0; ; attempt++)
            {
                channel = await slot.GetChannelAsync(_channels, _options.MaxConnectionAge, _options.TimeProvider, _logger, cancellationToken).ConfigureAwait(false);
                if (request.Generate == false && channel.Transport == RequestTransport.Http)
                {
                    var skipped = SkipWarmup(plan, channel);
                    if (_shared is not null) await _shared.SaveAsync(skipped.Node, cancellationToken).ConfigureAwait(false);
                    yield return skipped.Update;
                    yield break;
                }

                // A pooled frame, given back once sent (a resend writes a new one): no frame-sized allocation per turn.
                (ResponseTurn? Turn, ResponsesException? Error) sent;
                var frame = BuildFrame(plan, request, channel, forceFull, attempt);
                try
                {
                    sent = await TrySendAsync(channel, frame.Memory, keepRawEvents: !forResponse, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    frame.Dispose();
                }

                var failure = sent.Error;
                ResponseUpdateMapper? mapper = null;
                if (failure is null)
                {
                    turn = sent.Turn!;
                    var sentAt = _options.TimeProvider.GetTimestamp();
                    mapper = plan.ReportConversationId
                        ? new ResponseUpdateMapper(plan.ServerConversationId, conversationIdIsResponseId: true, forResponse)
                        : new ResponseUpdateMapper(forResponse: forResponse);
                    ServerEvent? done = null;
                    while (true)
                    {
                        // The previous event is fully consumed (mapped, its updates yielded): the reader may parse into it.
                        if (done is not null)
                        {
                            turn.Recycle(done);
                            done = null;
                        }
                        var next = await TryReadAsync(turn, cancellationToken).ConfigureAwait(false);
                        if (next.Error is not null)
                        {
                            failure = ErrorMapper.WithContext(next.Error, mapper.ResponseId, mapper.OutputSurfaced);
                            break;
                        }

                        var evt = next.Event;
                        if (evt is null) yield break;
                        if (sentAt != 0) { _telemetry.FirstEvent(_options.TimeProvider.GetElapsedTime(sentAt)); sentAt = 0; }
                        if (evt.Type is ServerEventType.Error or ServerEventType.ResponseFailed)
                        {
                            failure = evt.Type == ServerEventType.Error
                                ? ErrorMapper.FromErrorEvent(evt.Error!, mapper.ResponseId, mapper.OutputSurfaced)
                                : ErrorMapper.FromFailedResponse(evt.Response, mapper.OutputSurfaced);
                            break;
                        }

                        if (evt.IsTerminal && mapper.ResponseId is null && evt.Response?.Id is null)
                        {
                            throw new ResponsesException(ResponsesErrorKind.ProtocolViolation, "The response ended without ever carrying a response id.");
                        }

                        var update = Map(mapper, evt);
                        if (evt.IsTerminal)
                        {
                            // Record before the final update is yielded: a caller may continue from its ConversationId at
                            // once, here or (with a shared transcript store) on another node.
                            if (Record(plan, mapper) is { } node && _shared is not null)
                            {
                                await _shared.SaveAsync(node, cancellationToken).ConfigureAwait(false);
                            }
                            Log.ResponseFinished(_logger, mapper.ResponseId, mapper.FinalResponse?.Status);
                        }

                        while (mapper.TakeReleased() is { } earlier) yield return earlier;
                        if (update is not null) yield return update;
                        if (evt.IsTerminal) yield break;
                        done = evt;
                    }
                }

                var action = TurnRecovery.Decide(new TurnFailure(
                    failure,
                    AlreadyResent: resent,
                    OutputSurfaced: mapper?.OutputSurfaced ?? false,
                    EventsReceived: turn?.EventCount > 0,
                    HasTranscript: plan.Parent is not null,
                    CanDropEncryptedReasoning: _reasoning.CanFallBack(request, failure)));
                if (action == RecoveryAction.Surface)
                {
                    Log.ResponseError(_logger, failure.Kind, failure.Code, failure.Message, failure);
                    if (failure.OutputSurfaced && mapper is not null) yield return ErrorUpdate(mapper, plan, failure);
                    throw failure;
                }

                PrepareResend(action, failure, channel, turn is null, ref resent, ref forceFull, request);
                if (turn is not null)
                {
                    channel.Release(turn);
                    turn = null;
                }
            }
        }
        finally
        {
            if (channel is not null && turn is not null)
            {
                // Anything short of a terminal event means the rest of the response is still coming: stop reading it.
                if (!turn.IsFinished) channel.Abandon();
                channel.Release(turn);
            }

            _pool.Release(slot, _options.TimeProvider.GetUtcNow());
        }
    }

    private void PrepareResend(RecoveryAction action, ResponsesException failure, IResponseChannel channel, bool sendFailed, ref bool resent, ref bool forceFull, CreateRequest request)
    {
        string reason;
        switch (action)
        {
            case RecoveryAction.ResendWithoutEncryptedReasoning:
                // The error evicted the socket's cache, so the resend goes out as a full create; it has its own budget.
                _reasoning.FallBack(request);
                _telemetry.Resent("encrypted_reasoning_unsupported");
                return;
            case RecoveryAction.ResendFull:
                // A lost chain needs the full input; the channel is fine.
                forceFull = true;
                reason = failure.Code!;
                break;
            default:
                // A broken channel, or one at the service's time limit: the slot opens a new one.
                channel.Retire();
                reason = sendFailed ? "send_failed" : failure.Code ?? "connection_closed";
                break;
        }

        resent = true;
        Log.ResendingRequest(_logger, failure.Message, failure);
        _telemetry.Resent(reason);
    }

    /// <summary>
    /// A warmup over HTTP: <c>generate: false</c> exists only in WebSocket mode, and over HTTP it would generate a real
    /// response. Nothing is sent; the prepared items are kept as a local transcript node, so the next turn (continued by the
    /// returned id, or by resending the same messages) carries them in its create.
    /// </summary>
    private (ResponseNode Node, ChatResponseUpdate Update) SkipWarmup(ConversationPlan plan, IResponseChannel channel)
    {
        Log.WarmupSkippedOverHttp(_logger, channel.Id);
        var id = "warmup_local_" + Guid.NewGuid().ToString("N");

        // Not stored by the service, so nothing ever chains to it by id: the next turn is a full create.
        var node = new ResponseNode(plan.Parent, plan.NewItems, id, plan.Fingerprint, store: false, plan.Scope);
        _store.Add(node);
        return (node, new ChatResponseUpdate(ChatRole.Assistant, (IList<AIContent>?)null)
        {
            ResponseId = id,
            MessageId = id,
            ConversationId = plan.ReportConversationId ? id : null,
        });
    }

    private RentedFrame BuildFrame(ConversationPlan plan, CreateRequest request, IResponseChannel channel, bool forceFull, int attempt)
    {
        var (previousResponseId, status) = plan.Decide(channel.CachedResponseId, forceFull);
        request.PreviousResponseId = previousResponseId;
        request.Input.Clear();
        AddSendable(request, previousResponseId is null ? plan.FullInput() : plan.NewItems);
        var frame = CreateRequestWriter.WriteRented(request, channel.Transport);
        Log.SendingCreate(_logger, channel.Id, status, request.Input.Count, frame.Length);

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
                fullBytes = CreateRequestWriter.MeasureLength(request, channel.Transport);
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
                ConnectionId = channel.Id,
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

    private ResponseNode? Record(ConversationPlan plan, ResponseUpdateMapper mapper)
    {
        var responseId = mapper.ResponseId ?? mapper.FinalResponse?.Id;
        if (responseId is null) return null;
        var items = new List<InputItem>(plan.NewItems.Count + mapper.OutputItems.Count);
        items.AddRange(plan.NewItems);
        items.AddRange(mapper.OutputItems);
        var node = new ResponseNode(plan.Parent, items, responseId, plan.Fingerprint, plan.Store, plan.Scope);
        _store.Add(node);
        return node;
    }

    private bool HoldsLiveChain(IResponseChannel channel) =>
        channel.CachedResponseId is { } id && _store.Contains(id);

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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<(ResponseTurn? Turn, ResponsesException? Error)> TrySendAsync(IResponseChannel channel, ReadOnlyMemory<byte> frame, bool keepRawEvents, CancellationToken cancellationToken)
    {
        try
        {
            return (await channel.SendAsync(frame, keepRawEvents, cancellationToken).ConfigureAwait(false), null);
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
