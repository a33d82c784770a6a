using System.Text.Json;

namespace ResponsesWebSocket.Protocol;

/// <summary>
/// Parses one server event (a WebSocket text message or an SSE <c>data:</c> payload) from UTF-8 JSON.
/// </summary>
/// <remarks>
/// One forward pass with <see cref="Utf8JsonReader"/>: scalar fields are read in place, object-valued fields
/// (<c>response</c>, <c>item</c>, <c>annotation</c>, <c>error</c>) and the refusal text are remembered as byte ranges and
/// deserialized only when the event type needs them; the full-text copies on <c>output_text.done</c> and
/// <c>function_call_arguments.done</c> are never decoded. That keeps a text delta at one event object plus its delta string,
/// and tolerates <c>type</c> appearing after the other fields. Unknown types and fields are skipped.
/// </remarks>
internal static class ServerEventParser
{
    /// <summary>Parses an event.</summary>
    /// <exception cref="JsonException">
    /// The payload is not a JSON object with a string <c>type</c>, or a field the client reads is malformed (a string that
    /// is not valid UTF-8 or holds a lone surrogate, an object of the wrong shape, nesting beyond the limit).
    /// </exception>
    /// <param name="utf8Json">One event's JSON.</param>
    /// <param name="keepRaw">Whether the event's JSON is kept for a content-less update's <c>RawRepresentation</c>.</param>
    /// <param name="previousItemId">
    /// The <c>item_id</c> of the connection's previous event: when this event names the same item (every delta of one item
    /// does), that string is reused instead of decoding a new one.
    /// </param>
    /// <param name="reuse">An event its consumer has finished with (see <see cref="ServerEvent.Reset"/>), filled instead of a new one.</param>
    /// <param name="previousResponse">The connection's previous <c>response</c> snapshot, whose id and model strings are reused while they match.</param>
    public static ServerEvent Parse(ReadOnlySpan<byte> utf8Json, bool keepRaw = true, string? previousItemId = null, ServerEvent? reuse = null, ResponseWire? previousResponse = null)
    {
        try
        {
            return ParseCore(utf8Json, keepRaw, previousItemId, reuse, previousResponse);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            // Utf8JsonReader reports undecodable strings (invalid UTF-8, lone surrogates) and wrong token types with these;
            // callers get one exception type for "the server sent something unreadable".
            throw new JsonException($"A server event could not be read: {ex.Message}", ex);
        }
    }

    private static ServerEvent ParseCore(ReadOnlySpan<byte> utf8Json, bool keepRaw, string? previousItemId, ServerEvent? reuse, ResponseWire? previousResponse)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A server event must be a JSON object.");
        }

        var evt = reuse ?? new ServerEvent();
        reuse?.Reset();
        Range response = default, item = default, annotation = default, error = default, refusal = default;
        string? flatCode = null, flatMessage = null, flatParam = null;
        int? status = null;
        var sawType = false;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                var start = (int)reader.TokenStartIndex;
                var isObject = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
                var range = new Range(start, (int)reader.BytesConsumed);
                if (!isObject) continue;
                if (name.SequenceEqual("response"u8)) response = range;
                else if (name.SequenceEqual("item"u8)) item = range;
                else if (name.SequenceEqual("annotation"u8)) annotation = range;
                else if (name.SequenceEqual("error"u8)) error = range;
                continue;
            }

            if (name.SequenceEqual("type"u8))
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new JsonException("The \"type\" of a server event must be a string.");
                }

                sawType = true;
                evt.Type = ServerEventTypes.FromUtf8(reader.ValueSpan);
                if (evt.Type == ServerEventType.Unknown) evt.UnknownTypeName = reader.GetString();
            }
            else if (name.SequenceEqual("delta"u8)) evt.Delta = ReadString(ref reader);
            else if (name.SequenceEqual("item_id"u8)) evt.ItemId = ReadItemId(ref reader, previousItemId);
            else if (name.SequenceEqual("output_index"u8)) evt.OutputIndex = ReadInt(ref reader, -1);
            else if (name.SequenceEqual("content_index"u8)) evt.ContentIndex = ReadInt(ref reader, -1);
            else if (name.SequenceEqual("summary_index"u8)) evt.SummaryIndex = ReadInt(ref reader, -1);
            else if (name.SequenceEqual("sequence_number"u8)) evt.SequenceNumber = ReadNullableLong(ref reader);
            else if (name.SequenceEqual("refusal"u8) && reader.TokenType == JsonTokenType.String)
            {
                // Remembered, decoded only for response.refusal.done (the type may not be known yet).
                refusal = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
            }
            else if (name.SequenceEqual("stream_id"u8)) evt.StreamId = ReadString(ref reader);
            else if (name.SequenceEqual("code"u8)) flatCode = ReadScalarAsString(ref reader);
            else if (name.SequenceEqual("message"u8)) flatMessage = ReadString(ref reader);
            else if (name.SequenceEqual("param"u8)) flatParam = ReadString(ref reader);
            else if (name.SequenceEqual("status"u8) || name.SequenceEqual("status_code"u8)) status ??= ReadNullableInt(ref reader);
        }

        if (!sawType)
        {
            throw new JsonException("A server event has no \"type\".");
        }

        switch (evt.Type)
        {
            case ServerEventType.ResponseCreated or ServerEventType.ResponseInProgress or ServerEventType.ResponseQueued
                or ServerEventType.ResponseCompleted or ServerEventType.ResponseIncomplete or ServerEventType.ResponseFailed
                or ServerEventType.ResponseCancelled or ServerEventType.ResponseDone:
                if (IsSet(response))
                {
                    evt.Response = ResponseWireReader.Read(utf8Json[response], previousResponse);
                }
                break;

            case ServerEventType.OutputItemAdded or ServerEventType.OutputItemDone:
                if (IsSet(item))
                {
                    var itemJson = utf8Json[item];
                    evt.Item = JsonSerializer.Deserialize(itemJson, ResponsesJsonContext.Default.OutputItemWire);
                    if (evt.Type == ServerEventType.OutputItemDone)
                    {
                        // Kept verbatim: a later full resend must carry exactly the bytes the model produced.
                        evt.ItemJson = itemJson.ToArray();
                    }
                }
                break;

            case ServerEventType.OutputTextAnnotationAdded:
                if (IsSet(annotation))
                {
                    evt.Annotation = JsonSerializer.Deserialize(utf8Json[annotation], ResponsesJsonContext.Default.AnnotationWire);
                }
                break;

            case ServerEventType.RefusalDone:
                if (IsSet(refusal))
                {
                    var refusalReader = new Utf8JsonReader(utf8Json[refusal]);
                    refusalReader.Read();
                    evt.Text = refusalReader.GetString();
                }

                break;

            case ServerEventType.Error:
                var nested = IsSet(error) ? JsonSerializer.Deserialize(utf8Json[error], ResponsesJsonContext.Default.ErrorWire) : null;
                evt.Error = CreateError(nested, flatCode, flatMessage, flatParam, status);
                break;
        }

        if (keepRaw ? KeepsRaw(evt.Type) : BecomesContent(evt.Type))
        {
            evt.Raw = JsonElement.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 256 });
        }

        return evt;
    }

    /// <summary>
    /// Whether the whole event is kept as <see cref="ServerEvent.Raw"/>: not for the deltas that always become content (they
    /// are most of the traffic). Partial images are kept: the mapper decodes the image straight from the kept JSON, which
    /// costs less than decoding its base64 into a string first.
    /// </summary>
    private static bool KeepsRaw(ServerEventType type) => type is not (ServerEventType.OutputTextDelta
        or ServerEventType.ReasoningSummaryTextDelta or ServerEventType.ReasoningTextDelta
        or ServerEventType.CodeInterpreterCallCodeDelta);

    /// <summary>
    /// The events whose JSON the mapper puts into a content (hosted-tool progress): all a non-streaming call needs, as its
    /// merged response carries no update's own raw event.
    /// </summary>
    private static bool BecomesContent(ServerEventType type) => type is ServerEventType.WebSearchCallInProgress
        or ServerEventType.ImageGenerationCallInProgress or ServerEventType.ImageGenerationCallPartialImage;

    /// <summary>Normalises an error: nested fields first, then the flat ones, then a generic message.</summary>
    internal static ResponsesError CreateError(ErrorWire? nested, string? flatCode, string? flatMessage, string? flatParam, int? status)
    {
        var code = nested?.Code ?? flatCode;
        var message = nested?.Message ?? flatMessage;
        if (string.IsNullOrEmpty(message)) message = ResponsesError.GenericMessage;
        return new ResponsesError(code, message, nested?.Param ?? flatParam, nested?.Type, status);
    }

    private static bool IsSet(Range range) => !range.Equals(default(Range));

    // Compared in place (escapes included), so a delta of the same item costs no string.
    private static string? ReadItemId(ref Utf8JsonReader reader, string? previous) =>
        reader.TokenType == JsonTokenType.String && previous is not null && reader.ValueTextEquals(previous) ? previous : ReadString(ref reader);

    private static string? ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString() : null;

    private static string? ReadScalarAsString(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => null,
    };

    private static int ReadInt(ref Utf8JsonReader reader, int fallback) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : fallback;

    // Not needed by the client, so never fatal: a fraction, an exponent or a value past Int64 reads as absent.
    private static long? ReadNullableLong(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : null;

    private static int? ReadNullableInt(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
        JsonTokenType.String when int.TryParse(reader.GetString(), out var parsed) => parsed,
        _ => null,
    };
}
