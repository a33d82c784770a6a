using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// Turns the server events of one response into <see cref="ChatResponseUpdate"/>s. One instance per response.
/// </summary>
/// <remarks>
/// Every update carries Role = Assistant, a MessageId, ResponseId, ModelId, CreatedAt and ConversationId, so that
/// callers who merge updates (FunctionInvokingChatClient, ToChatResponse) never glue our content onto someone
/// else's message. An output <c>message</c> item uses its own id as MessageId; other items (reasoning, function
/// calls, hosted tools) use the response id, so a response folds into at most a few messages.
/// Function calls are emitted once, complete, at <c>output_item.done</c>: partial argument deltas are useless to
/// callers and FunctionInvokingChatClient needs the whole call. Hosted-tool, MCP and custom-tool items become the MEAI
/// contents the official client uses (<see cref="HostedToolContents"/>).
/// <para>No event disappears: each one yields exactly one update. Events that carry no content (lifecycle, argument
/// deltas, hosted-tool progress, types this client does not know) yield a content-less update whose
/// <see cref="ChatResponseUpdate.RawRepresentation"/> is the event's JSON (a <see cref="JsonElement"/>), as MEAI's own
/// Responses client yields one per event. The content-less updates that come before the response's first output item
/// (<c>response.created</c>, <c>in_progress</c>, …) are held until that item says which MessageId they belong to, then
/// released ahead of it (<see cref="TakeReleased"/>): any id chosen earlier would make merging (<c>ToChatResponse</c>)
/// start an empty message whenever the first item is a message.</para>
/// </remarks>
internal sealed class ResponseUpdateMapper
{
    private static readonly JsonTypeInfo<Dictionary<string, object?>> ArgumentsTypeInfo =
        (JsonTypeInfo<Dictionary<string, object?>>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Dictionary<string, object?>));

    // DateTimeOffset.MinValue and MaxValue in Unix seconds (0001-01-01 and 9999-12-31T23:59:59).
    private const long MinUnixSeconds = -62_135_596_800;
    private const long MaxUnixSeconds = 253_402_300_799;

    // The first output item is kept in fields and later ones in a dictionary made on demand: most responses have one item
    // (a message or a function call), so a turn costs no dictionary.
    private int _firstIndex;
    private OutputItemState? _first;
    private Dictionary<int, OutputItemState>? _items;
    private readonly string? _conversationId;
    private readonly bool _conversationIdIsResponseId;
    private string? _lastMessageId;
    private readonly HeldUpdates _held = new();
    private readonly DeltaRun? _run;
    private ChatResponseUpdate? _last;

    /// <param name="conversationId">A fixed conversation id to report, or <see langword="null"/>.</param>
    /// <param name="conversationIdIsResponseId">Report the response id as the conversation id (when <paramref name="conversationId"/> is null).</param>
    /// <param name="forResponse">
    /// The updates are only merged into one <see cref="ChatResponse"/> (a non-streaming call): consecutive text or reasoning
    /// deltas of one item become one content, and a content-less update that would change nothing in the merged response
    /// is not created. <c>ToChatResponse</c> of the fewer updates equals <c>ToChatResponse</c> of the full stream.
    /// </param>
    public ResponseUpdateMapper(string? conversationId = null, bool conversationIdIsResponseId = false, bool forResponse = false)
    {
        _conversationId = conversationId;
        _conversationIdIsResponseId = conversationIdIsResponseId;
        _run = forResponse ? new DeltaRun() : null;
    }

    /// <summary>Gets the response id, once <c>response.created</c> (or any snapshot) was seen.</summary>
    public string? ResponseId { get; private set; }

    /// <summary>Gets the model that answered.</summary>
    public string? ModelId { get; private set; }

    /// <summary>Gets when the response was created.</summary>
    public DateTimeOffset? CreatedAt { get; private set; }

    /// <summary>Gets whether a client function call was emitted.</summary>
    public bool AnyFunctionCall { get; private set; }

    /// <summary>Gets whether any content update has been produced (the error rule depends on it).</summary>
    public bool OutputSurfaced { get; private set; }

    /// <summary>Gets the terminal snapshot, once seen.</summary>
    public ResponseWire? FinalResponse { get; private set; }

    /// <summary>Gets the raw output items received (<c>output_item.done</c>), in output order, for the transcript.</summary>
    public List<InputItem> OutputItems { get; } = [];

    private string? ConversationId => _conversationId ?? (_conversationIdIsResponseId ? ResponseId : null);

    /// <summary>Maps one event to one update.</summary>
    /// <remarks><c>error</c> and <c>response.failed</c> are not mapped here: the caller turns them into exceptions.</remarks>
    /// <returns>
    /// The update, or <see langword="null"/> while it is held for its MessageId (see the type remarks). Before yielding a
    /// returned update, yield whatever <see cref="TakeReleased"/> gives: the held updates that precede it.
    /// </returns>
    public ChatResponseUpdate? Map(ServerEvent evt)
    {
        if (_run is not null)
        {
            if (TryExtendRun(evt)) return null;
            FlushRun();
        }

        var content = MapContent(evt);
        var messageId = content is null ? MessageIdFor(evt) : null;
        if (content is null && _run is not null)
        {
            // Its id would release the held updates (stamping them with it) before it is yielded: do that first, so
            // that it is compared with the update just before it as merging will see it.
            if (messageId is not null) _held.Release(messageId);
            if (RepeatsLast(messageId))
            {
                // Merging it would change nothing: same message, same response metadata as the update just before it.
                _lastMessageId = messageId ?? _lastMessageId;
                return null;
            }
        }

        ChatResponseUpdate update = content ?? Update(messageId, null);
        if (evt.Raw is { } raw)
        {
            update.RawRepresentation = raw;
        }

        if (update.MessageId is null)
        {
            _held.Hold(update);
            return null;
        }

        _held.Release(update.MessageId);
        return update;
    }

    /// <summary>The next held update that is now ready, oldest first; <see langword="null"/> when there is none.</summary>
    /// <remarks>Updates still held when the response fails are dropped with it: the caller gets the exception instead.</remarks>
    public ChatResponseUpdate? TakeReleased() => _held.TakeReleased();

    /// <summary>
    /// For a merged response: takes a text or reasoning delta into the current run instead of an update of its own. Merging
    /// consecutive contents of one item is exactly what <c>ToChatResponse</c> does to the streamed deltas (they are
    /// adjacent in one message, without annotations or protected data), so the run is emitted as one content when
    /// anything else arrives. The state changes match the streaming path (which item streamed text, what surfaced).
    /// </summary>
    private bool TryExtendRun(ServerEvent evt)
    {
        bool reasoning;
        switch (evt.Type)
        {
            case ServerEventType.OutputTextDelta when !string.IsNullOrEmpty(evt.Delta):
                reasoning = false;
                break;
            case ServerEventType.ReasoningSummaryTextDelta or ServerEventType.ReasoningTextDelta when !string.IsNullOrEmpty(evt.Delta):
            case ServerEventType.ReasoningSummaryPartAdded when evt.SummaryIndex > 0:
                reasoning = true;
                break;
            default:
                return false;
        }

        var state = StateFor(evt.OutputIndex, null, evt.ItemId);
        var separator = evt.Type == ServerEventType.ReasoningSummaryPartAdded;
        if (!separator) state.StreamedText = true;
        if (!_run!.Continues(state, reasoning))
        {
            FlushRun();
            // The first delta's update would have released the held updates and surfaced output.
            _held.Release(state.MessageId);
            OutputSurfaced = true;
            _run.Start(state, reasoning, reasoning ? evt.ItemId ?? state.ItemId : null);
        }

        _run.Append(separator ? "\n\n" : evt.Delta!);
        return true;
    }

    /// <summary>Emits the pending run, if any, as one update, ahead of the update of the event being mapped.</summary>
    private void FlushRun()
    {
        if (_run?.Take() is not { } run) return;
        var (state, reasoning, reasoningItemId, text) = run;
        AIContent content = reasoning ? Reasoning(text, reasoningItemId) : new TextContent(text);
        _held.Ready(Content(state.MessageId, content));
    }

    private bool RepeatsLast(string? messageId) =>
        _last is { } last && last.MessageId == messageId && last.ResponseId == ResponseId && last.ConversationId == ConversationId
        && last.ModelId == ModelId && last.CreatedAt == CreatedAt;

    private ChatResponseUpdate? MapContent(ServerEvent evt)
    {
        switch (evt.Type)
        {
            case ServerEventType.ResponseCreated or ServerEventType.ResponseInProgress or ServerEventType.ResponseQueued:
                Observe(evt.Response);
                return null;

            case ServerEventType.OutputItemAdded:
                StateFor(evt.OutputIndex, evt.Item);
                return null;

            case ServerEventType.OutputTextDelta:
            {
                var state = StateFor(evt.OutputIndex, null, evt.ItemId);
                state.StreamedText = true;
                return string.IsNullOrEmpty(evt.Delta) ? null : Content(state.MessageId, new TextContent(evt.Delta));
            }

            case ServerEventType.ReasoningSummaryTextDelta or ServerEventType.ReasoningTextDelta:
            {
                var state = StateFor(evt.OutputIndex, null, evt.ItemId);
                state.StreamedText = true;
                return string.IsNullOrEmpty(evt.Delta) ? null : Content(state.MessageId, Reasoning(evt.Delta, evt.ItemId ?? state.ItemId));
            }

            case ServerEventType.ReasoningSummaryPartAdded when evt.SummaryIndex > 0:
            {
                // Separate summary parts the way the service's own UIs do, so merged reasoning text stays readable.
                var state = StateFor(evt.OutputIndex, null, evt.ItemId);
                return Content(state.MessageId, Reasoning("\n\n", evt.ItemId ?? state.ItemId));
            }

            case ServerEventType.RefusalDone:
            {
                var state = StateFor(evt.OutputIndex, null, evt.ItemId);
                state.SurfacedRefusal = true;
                return Content(state.MessageId, Refusal(evt.Text));
            }

            case ServerEventType.OutputTextAnnotationAdded when evt.Annotation is not null:
            {
                var state = StateFor(evt.OutputIndex, null, evt.ItemId);
                state.StreamedAnnotations++;
                return Content(state.MessageId, new AIContent { Annotations = [CitationMapper.Map(evt.Annotation)] });
            }

            case ServerEventType.OutputItemDone when evt.Item is not null:
                return MapDoneItem(evt);

            case ServerEventType.WebSearchCallInProgress or ServerEventType.ImageGenerationCallInProgress
                or ServerEventType.CodeInterpreterCallCodeDelta or ServerEventType.ImageGenerationCallPartialImage:
                return MapHostedToolProgress(evt);

            case ServerEventType.ResponseCompleted or ServerEventType.ResponseIncomplete
                or ServerEventType.ResponseDone or ServerEventType.ResponseCancelled:
                return MapCompletion(evt);

            default:
                return null;
        }
    }

    /// <summary>The streaming partials MEAI has contents for; the finished item follows at <c>output_item.done</c>.</summary>
    private ChatResponseUpdate? MapHostedToolProgress(ServerEvent evt)
    {
        var state = StateFor(evt.OutputIndex, null, evt.ItemId);
        var itemId = evt.ItemId ?? state.ItemId ?? string.Empty;
        switch (evt.Type)
        {
            case ServerEventType.WebSearchCallInProgress:
                return Content(state.MessageId, new WebSearchToolCallContent(itemId) { RawRepresentation = evt.Raw });

            case ServerEventType.ImageGenerationCallInProgress:
                state.SurfacedCall = true;
                return Content(state.MessageId, new ImageGenerationToolCallContent(itemId) { RawRepresentation = evt.Raw });

            case ServerEventType.CodeInterpreterCallCodeDelta when !string.IsNullOrEmpty(evt.Delta):
                state.StreamedText = true;
                return Content(state.MessageId, new CodeInterpreterToolCallContent(itemId) { Inputs = [HostedToolContents.Code(evt.Delta)] });

            case ServerEventType.ImageGenerationCallPartialImage when evt.Raw is JsonElement partial:
                return HostedToolContents.PartialImage(itemId, evt.OutputIndex, partial) is { } image ? Content(state.MessageId, image) : null;

            default:
                return null;
        }
    }

    /// <summary>
    /// The MessageId of a content-less update: the item's when the event belongs to a known output item, else the last one
    /// used (<see langword="null"/> before the first output item: the update is held, see the type remarks).
    /// </summary>
    private string? MessageIdFor(ServerEvent evt) =>
        evt.OutputIndex >= 0 && TryGetState(evt.OutputIndex, out var state) ? state.MessageId : _lastMessageId;

    private ChatResponseUpdate? MapDoneItem(ServerEvent evt)
    {
        var item = evt.Item!;
        var state = StateFor(evt.OutputIndex, item);
        var raw = new InputItem(KindOf(item.Type), evt.ItemJson ?? [], item.Role, item.CallId, item.Id);
        OutputItems.Add(raw);

        switch (item.Type)
        {
            case "function_call":
                AnyFunctionCall = true;
                var call = FunctionCallContent.CreateFromParsedArguments(
                    string.IsNullOrEmpty(item.Arguments) ? "{}" : item.Arguments,
                    item.CallId ?? item.Id ?? string.Empty,
                    item.Name ?? string.Empty,
                    static json => JsonSerializer.Deserialize(json, ArgumentsTypeInfo));
                call.RawRepresentation = raw;
                return Content(state.MessageId, call);

            case "reasoning":
                // Surfaced even with no summary and no encrypted content (as the official client does): the item's id
                // must survive a history round trip, because with store=true a function call resent by id needs its
                // reasoning item beside it. With store=false such an id-only item is left out of a rebuild instead.
                var summary = state.StreamedText ? null : JoinSummary(item.Summary);
                var reasoning = Reasoning(summary ?? string.Empty, item.Id ?? state.ItemId);
                reasoning.ProtectedData = item.EncryptedContent;
                reasoning.RawRepresentation = raw;
                return Content(state.MessageId, reasoning);

            case "message":
                return MapDoneMessage(item, state);

            default:
                // Hosted-tool, MCP and custom-tool items as MEAI contents; anything newer as raw content. Either way the
                // contents carry the raw item, so it survives a history round-trip.
                return Update(state.MessageId, HostedToolContents.FromItem(item.Type, raw, state));
        }
    }

    private ChatResponseUpdate? MapDoneMessage(OutputItemWire item, OutputItemState state)
    {
        if (item.Content is not { Count: > 0 } parts)
        {
            return null;
        }

        // Streams normally carry the text as deltas; only a server that skipped them gets the text from the done item.
        List<AIContent>? contents = null;
        var annotationIndex = 0;
        foreach (var part in parts)
        {
            // A null part or annotation (a malformed item) carries nothing to surface.
            if (part is null) continue;
            if (part.Type == "output_text")
            {
                if (!state.StreamedText && !string.IsNullOrEmpty(part.Text)) (contents ??= []).Add(new TextContent(part.Text));
                foreach (var annotation in part.Annotations ?? [])
                {
                    if (annotation is null) continue;
                    if (annotationIndex++ >= state.StreamedAnnotations)
                    {
                        (contents ??= []).Add(new AIContent { Annotations = [CitationMapper.Map(annotation)] });
                    }
                }
            }
            else if (part.Type == "refusal" && !state.SurfacedRefusal)
            {
                (contents ??= []).Add(Refusal(part.Refusal));
            }
        }

        return contents is null ? null : Update(state.MessageId, contents);
    }

    private ChatResponseUpdate MapCompletion(ServerEvent evt)
    {
        Observe(evt.Response);
        FinalResponse = evt.Response;
        var update = Update(_lastMessageId ?? ResponseId ?? string.Empty, []);
        update.FinishReason = FinishReasonMapper.Map(evt.Response?.IncompleteDetails?.Reason, AnyFunctionCall);
        if (evt.Response?.Usage is { } usage)
        {
            update.Contents.Add(new UsageContent(UsageMapper.Map(usage)));
        }

        return update;
    }

    private void Observe(ResponseWire? response)
    {
        if (response is null) return;
        // The first id wins: a proxy that rotates ids per event must not give one call's updates several ResponseIds.
        ResponseId ??= response.Id;
        ModelId = response.Model ?? ModelId;
        // Out of DateTimeOffset's range (a server sending milliseconds, or garbage): metadata the caller can live without.
        if (response.CreatedAt is { } created && created is >= MinUnixSeconds and <= MaxUnixSeconds) CreatedAt = DateTimeOffset.FromUnixTimeSeconds(created);
    }

    private OutputItemState StateFor(int outputIndex, OutputItemWire? item, string? itemId = null)
    {
        if (TryGetState(outputIndex, out var state))
        {
            return state;
        }

        var id = item?.Id ?? itemId;
        var messageId = item?.Type == "message" && id is not null ? id : ResponseId ?? id ?? string.Empty;
        state = new OutputItemState(item?.Type, id, messageId);
        if (_first is null)
        {
            _firstIndex = outputIndex;
            _first = state;
        }
        else
        {
            (_items ??= [])[outputIndex] = state;
        }

        return state;
    }

    private bool TryGetState(int outputIndex, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out OutputItemState? state)
    {
        if (_first is not null && _firstIndex == outputIndex)
        {
            state = _first;
            return true;
        }

        state = null;
        return _items?.TryGetValue(outputIndex, out state) == true;
    }

    private ChatResponseUpdate Content(string messageId, AIContent content) => Update(messageId, [content]);

    /// <param name="messageId">The MessageId.</param>
    /// <param name="contents">The contents; <see langword="null"/> for a content-less update (the list is then created only if read).</param>
    private ChatResponseUpdate Update(string? messageId, List<AIContent>? contents)
    {
        OutputSurfaced |= contents is { Count: > 0 };
        _lastMessageId = messageId ?? _lastMessageId;
        return _last = new ChatResponseUpdate(ChatRole.Assistant, contents)
        {
            MessageId = messageId,
            ResponseId = ResponseId,
            ConversationId = ConversationId,
            ModelId = ModelId,
            CreatedAt = CreatedAt,
        };
    }

    private static TextReasoningContent Reasoning(string text, string? reasoningItemId)
    {
        var content = new TextReasoningContent(text);
        if (reasoningItemId is not null)
        {
            content.AdditionalProperties = new() { [ChatMessageMapper.ReasoningItemIdKey] = reasoningItemId };
        }

        return content;
    }

    private static ErrorContent Refusal(string? refusal) => new(refusal ?? string.Empty) { ErrorCode = "Refusal" };

    private static string? JoinSummary(List<ContentPartWire>? summary)
    {
        if (summary is not { Count: > 0 }) return null;
        var text = string.Join("\n\n", summary.Select(static s => s?.Text).Where(static t => !string.IsNullOrEmpty(t)));
        return text.Length == 0 ? null : text;
    }

    private static InputItemKind KindOf(string? type) => type switch
    {
        "message" => InputItemKind.Message,
        "function_call" => InputItemKind.FunctionCall,
        "reasoning" => InputItemKind.Reasoning,
        _ => InputItemKind.ModelItem,
    };
}
