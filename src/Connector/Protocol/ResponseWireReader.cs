using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ResponsesWebSocket.Protocol;

/// <summary>
/// Reads a <c>response</c> snapshot into a <see cref="ResponseWire"/> with a <see cref="Utf8JsonReader"/>, field by field.
/// </summary>
/// <remarks>
/// Every turn carries three or more snapshots (created, in_progress, the terminal event), and the serializer allocates
/// its frame stack for each one that has a nested object (<c>usage</c> on the terminal event): several hundred bytes per
/// snapshot for a handful of fields. Same reading rules as the source-generated <see cref="ResponsesJsonContext"/>:
/// property names are case-sensitive, the last of a duplicated property wins, numbers may also come as strings,
/// unknown fields are skipped, and a field of the wrong JSON type fails the event (a <see cref="JsonException"/>). An
/// error <c>code</c> reads as <see cref="ErrorCodeConverter"/> reads it.
/// </remarks>
internal static class ResponseWireReader
{
    // The statuses the service sends, returned as these instances instead of a new string per snapshot.
    private static readonly string[] KnownStatuses = ["queued", "in_progress", "completed", "incomplete", "failed", "cancelled"];

    /// <summary>Reads one <c>response</c> object (the bytes from its <c>{</c> to its <c>}</c>).</summary>
    /// <param name="utf8Json">The object.</param>
    /// <param name="previous">
    /// The previous snapshot on the connection: every snapshot of one response repeats its id and model, so while the
    /// bytes match, those strings are reused instead of decoded again.
    /// </param>
    public static ResponseWire Read(ReadOnlySpan<byte> utf8Json, ResponseWire? previous = null)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        var response = new ResponseWire();
        ReadObject(ref reader, (response, previous), static (ref Utf8JsonReader r, (ResponseWire Target, ResponseWire? Previous) state) =>
        {
            var target = state.Target;
            if (r.ValueTextEquals("id"u8)) target.Id = ReadString(ref r, state.Previous?.Id);
            else if (r.ValueTextEquals("created_at"u8)) target.CreatedAt = ReadLong(ref r);
            else if (r.ValueTextEquals("model"u8)) target.Model = ReadString(ref r, state.Previous?.Model);
            else if (r.ValueTextEquals("status"u8)) target.Status = ReadString(ref r, KnownStatuses);
            else if (r.ValueTextEquals("error"u8)) target.Error = ReadNested(ref r, static () => new ErrorWire(), ReadErrorField);
            else if (r.ValueTextEquals("incomplete_details"u8)) target.IncompleteDetails = ReadNested(ref r, static () => new IncompleteDetailsWire(), ReadIncompleteField);
            else if (r.ValueTextEquals("usage"u8)) target.Usage = ReadNested(ref r, static () => new UsageWire(), ReadUsageField);
            else Skip(ref r);
        });
        return response;
    }

    private delegate void FieldReader<in T>(ref Utf8JsonReader reader, T target);

    /// <summary>
    /// Reads the object the reader is on: <paramref name="field"/> gets the reader on each property name, reads (or skips)
    /// its value and leaves the reader on the value's last token.
    /// </summary>
    private static void ReadObject<T>(ref Utf8JsonReader reader, T target, FieldReader<T> field)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"A response snapshot field holds a {reader.TokenType} where an object was expected.");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            field(ref reader, target);
        }
    }

    private static T? ReadNested<T>(ref Utf8JsonReader reader, Func<T> create, FieldReader<T> field)
        where T : class
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        var target = create();
        ReadObject(ref reader, target, field);
        return target;
    }

    private static void ReadErrorField(ref Utf8JsonReader r, ErrorWire target)
    {
        if (r.ValueTextEquals("type"u8)) target.Type = ReadString(ref r);
        else if (r.ValueTextEquals("code"u8)) target.Code = ReadCode(ref r);
        else if (r.ValueTextEquals("message"u8)) target.Message = ReadString(ref r);
        else if (r.ValueTextEquals("param"u8)) target.Param = ReadString(ref r);
        else Skip(ref r);
    }

    private static void ReadIncompleteField(ref Utf8JsonReader r, IncompleteDetailsWire target)
    {
        if (r.ValueTextEquals("reason"u8)) target.Reason = ReadString(ref r);
        else Skip(ref r);
    }

    private static void ReadUsageField(ref Utf8JsonReader r, UsageWire target)
    {
        if (r.ValueTextEquals("input_tokens"u8)) target.InputTokens = ReadLong(ref r);
        else if (r.ValueTextEquals("output_tokens"u8)) target.OutputTokens = ReadLong(ref r);
        else if (r.ValueTextEquals("total_tokens"u8)) target.TotalTokens = ReadLong(ref r);
        else if (r.ValueTextEquals("input_tokens_details"u8)) target.InputTokensDetails = ReadNested(ref r, static () => new InputTokensDetailsWire(), ReadInputDetailsField);
        else if (r.ValueTextEquals("output_tokens_details"u8)) target.OutputTokensDetails = ReadNested(ref r, static () => new OutputTokensDetailsWire(), ReadOutputDetailsField);
        else Skip(ref r);
    }

    private static void ReadInputDetailsField(ref Utf8JsonReader r, InputTokensDetailsWire target)
    {
        if (r.ValueTextEquals("cached_tokens"u8)) target.CachedTokens = ReadLong(ref r);
        else if (r.ValueTextEquals("cache_write_tokens"u8)) target.CacheWriteTokens = ReadLong(ref r);
        else Skip(ref r);
    }

    private static void ReadOutputDetailsField(ref Utf8JsonReader r, OutputTokensDetailsWire target)
    {
        if (r.ValueTextEquals("reasoning_tokens"u8)) target.ReasoningTokens = ReadLong(ref r);
        else Skip(ref r);
    }

    private static void Skip(ref Utf8JsonReader r)
    {
        r.Read();
        r.Skip();
    }

    private static string? ReadString(ref Utf8JsonReader r, string? reuse)
    {
        r.Read();
        return r.TokenType == JsonTokenType.String && reuse is not null && r.ValueTextEquals(reuse) ? reuse : ReadValue(ref r);
    }

    private static string? ReadString(ref Utf8JsonReader r, string[] known)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.String)
        {
            foreach (var candidate in known)
            {
                if (r.ValueTextEquals(candidate)) return candidate;
            }
        }

        return ReadValue(ref r);
    }

    private static string? ReadString(ref Utf8JsonReader r)
    {
        r.Read();
        return ReadValue(ref r);
    }

    private static string? ReadValue(ref Utf8JsonReader r)
    {
        return r.TokenType switch
        {
            JsonTokenType.String => r.GetString(),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"A response snapshot field holds a {r.TokenType} where a string was expected."),
        };
    }

    private static long? ReadLong(ref Utf8JsonReader r)
    {
        r.Read();
        switch (r.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when r.TryGetInt64(out var value):
                return value;
            case JsonTokenType.String when long.TryParse(r.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            default:
                throw new JsonException($"A response snapshot field holds a {r.TokenType} where an integer was expected.");
        }
    }

    private static string? ReadCode(ref Utf8JsonReader r)
    {
        r.Read();
        switch (r.TokenType)
        {
            case JsonTokenType.String:
                return r.GetString();
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(r.ValueSpan);
            default:
                r.Skip();
                return null;
        }
    }
}
