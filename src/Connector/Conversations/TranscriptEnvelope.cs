namespace ResponsesWebSocket.Conversations;

/// <summary>
/// The value <see cref="DistributedTranscriptStore"/> writes under a key: the entry together with the scope and ids it was
/// stored for, so a read can confirm that what it found is what it asked for (a value copied under another key, or
/// written by something else, is rejected rather than trusted).
/// </summary>
/// <remarks>
/// Layout (version 1), strings length-prefixed (see <see cref="BinarySpanWriter"/>): magic <c>RWT</c> · version · kind,
/// then for a turn <c>scope · response id · parent id? · content key? · payload</c>, for a content-index record
/// <c>scope · content key · response id</c>. The kind byte keeps a turn from being read as an index record and back.
/// Trailing bytes make a value invalid. Decoding never throws.
/// </remarks>
internal static class TranscriptEnvelope
{
    private const byte Version = 1;
    private const byte TurnKind = 1;
    private const byte IndexKind = 2;
    private const int HeaderSize = 5;

    private static ReadOnlySpan<byte> Magic => "RWT"u8;

    public static byte[] EncodeTurn(TranscriptEntry entry)
    {
        var size = HeaderSize
            + BinarySpanWriter.SizeOfNullableString(entry.Scope)
            + BinarySpanWriter.SizeOfNullableString(entry.ResponseId)
            + BinarySpanWriter.SizeOfNullableString(entry.ParentResponseId)
            + BinarySpanWriter.SizeOfNullableString(entry.ContentKey)
            + BinarySpanWriter.SizeOfBlob(entry.Payload.Length);
        var buffer = new byte[size];
        var writer = new BinarySpanWriter(buffer);
        WriteHeader(ref writer, TurnKind);
        writer.WriteNullableString(entry.Scope);
        writer.WriteNullableString(entry.ResponseId);
        writer.WriteNullableString(entry.ParentResponseId);
        writer.WriteNullableString(entry.ContentKey);
        writer.WriteBlob(entry.Payload.Span);
        return buffer;
    }

    /// <summary>Decodes a turn; its payload is a slice of <paramref name="value"/>, not a copy.</summary>
    public static bool TryDecodeTurn(byte[] value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TranscriptEntry? entry)
    {
        entry = null;
        var reader = new BinarySpanReader(value);
        if (!TryReadHeader(ref reader, TurnKind)) return false;
        if (!reader.TryReadString(out var scope)
            || !reader.TryReadString(out var responseId)
            || !reader.TryReadNullableString(out var parentId)
            || !reader.TryReadNullableString(out var contentKey)
            || !reader.TryReadLength(out var payloadLength)
            || payloadLength != reader.Remaining)
        {
            return false;
        }

        entry = new TranscriptEntry
        {
            Scope = scope,
            ResponseId = responseId,
            ParentResponseId = parentId,
            ContentKey = contentKey,
            Payload = value.AsMemory(value.Length - payloadLength),
        };
        return true;
    }

    public static byte[] EncodeIndex(string scope, string contentKey, string responseId)
    {
        var size = HeaderSize
            + BinarySpanWriter.SizeOfNullableString(scope)
            + BinarySpanWriter.SizeOfNullableString(contentKey)
            + BinarySpanWriter.SizeOfNullableString(responseId);
        var buffer = new byte[size];
        var writer = new BinarySpanWriter(buffer);
        WriteHeader(ref writer, IndexKind);
        writer.WriteNullableString(scope);
        writer.WriteNullableString(contentKey);
        writer.WriteNullableString(responseId);
        return buffer;
    }

    public static bool TryDecodeIndex(ReadOnlySpan<byte> value, out string scope, out string contentKey, out string responseId)
    {
        scope = contentKey = responseId = string.Empty;
        var reader = new BinarySpanReader(value);
        return TryReadHeader(ref reader, IndexKind)
            && reader.TryReadString(out scope)
            && reader.TryReadString(out contentKey)
            && reader.TryReadString(out responseId)
            && responseId.Length > 0
            && reader.Remaining == 0;
    }

    private static void WriteHeader(ref BinarySpanWriter writer, byte kind)
    {
        writer.WriteBytes(Magic);
        writer.WriteByte(Version);
        writer.WriteByte(kind);
    }

    private static bool TryReadHeader(ref BinarySpanReader reader, byte kind) =>
        reader.TryReadBytes(Magic.Length, out var magic) && magic.SequenceEqual(Magic)
        && reader.TryReadByte(out var version) && version == Version
        && reader.TryReadByte(out var actualKind) && actualKind == kind;
}
