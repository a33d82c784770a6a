using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// The <c>stream_id</c> rules of the lanes revision of WebSocket mode (protocol.md §5.3): an id is 1–256 characters of
/// <c>[A-Za-z0-9_.-]</c>; at most <see cref="MaxNamedLanes"/> distinct named lanes and <see cref="MaxInFlight"/>
/// responses in flight per connection. A message without <c>stream_id</c> (or with <c>null</c>) uses the default lane.
/// </summary>
internal static class StreamLanes
{
    public const int MaxNamedLanes = 32;
    public const int MaxInFlight = 16;
    private const int MaxLength = 256;

    /// <summary>What a message's top-level <c>stream_id</c> says about its lane.</summary>
    public enum Kind
    {
        /// <summary>No usable stream id (absent, null, or the message is not a JSON object): the default lane decides.</summary>
        Default,

        /// <summary>A valid stream id.</summary>
        Named,

        /// <summary>Present but not a valid stream id.</summary>
        Invalid,
    }

    /// <summary>Reads only the top-level <c>stream_id</c>, without building a document: most messages have none.</summary>
    public static Kind Classify(ReadOnlySpan<byte> utf8Json, out string? streamId)
    {
        streamId = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Kind.Default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isStreamId = reader.ValueTextEquals("stream_id"u8);
                if (!reader.Read())
                {
                    return Kind.Default;
                }

                if (!isStreamId)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType == JsonTokenType.Null)
                {
                    return Kind.Default;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    return Kind.Invalid;
                }

                streamId = reader.GetString();
                return IsValid(streamId) ? Kind.Named : Kind.Invalid;
            }
        }
        catch (JsonException)
        {
            // Malformed JSON goes to the default lane, which answers it exactly as before lanes existed.
        }

        return Kind.Default;
    }

    public static bool IsValid(string? streamId) =>
        streamId is { Length: > 0 and <= MaxLength } && streamId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>The service's error for a malformed id (protocol.md §7.2).</summary>
    public static ApiError InvalidStreamId() =>
        ApiError.Invalid(
            "The 'stream_id' field must be a non-empty string with at most 256 characters and may only contain letters, numbers, underscores, hyphens, and periods.",
            "stream_id",
            "invalid_stream_id");

    /// <summary>The service's error for a 33rd distinct named lane (the Guide's wording, protocol.md §7.2).</summary>
    public static ApiError StreamLimitReached() =>
        ApiError.Invalid(
            "This WebSocket connection has reached its maximum number of distinct stream IDs (32). Reuse an existing stream_id or open a new WebSocket connection.",
            "stream_id",
            "websocket_stream_limit_reached");
}
