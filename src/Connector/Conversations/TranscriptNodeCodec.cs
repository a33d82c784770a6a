using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// Encodes one turn (<see cref="TranscriptNodeData"/>) as compact binary for a store outside the process, and decodes it
/// back from bytes that may be corrupt or hostile without ever throwing.
/// </summary>
/// <remarks>
/// Layout (version 1), lengths 7-bit encoded (see <see cref="BinarySpanWriter"/>):
/// <c>version · response id · parent id? · fingerprint (16 bytes LE) · flags (bit 0 = store) · item count ·
/// items[kind · role? · call id? · id? · json]</c>. Item JSON is kept as the exact bytes that were sent or received, since
/// a resend must write them unchanged; the role, call id and id are stored beside it so decoding needs no JSON parse
/// beyond the validation that the bytes are one JSON object. Trailing bytes make the payload invalid.
/// </remarks>
internal static class TranscriptNodeCodec
{
    /// <summary>The format version written first; a reader meeting another version treats the payload as absent.</summary>
    public const byte Version = 1;

    private const byte StoreFlag = 1;

    // kind + three absent strings + a one-byte JSON length + the smallest object "{}": a bound on the item count that a
    // payload of a given size can hold, so a forged count can never make the decoder allocate more than the input.
    private const int MinItemBytes = 1 + 3 + 1 + 2;

    private static readonly JsonReaderOptions JsonOptions = new() { MaxDepth = 256 };

    public static byte[] Encode(TranscriptNodeData node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var size = 1
            + BinarySpanWriter.SizeOfNullableString(node.ResponseId)
            + BinarySpanWriter.SizeOfNullableString(node.ParentResponseId)
            + 16
            + 1
            + BinarySpanWriter.SizeOfLength(node.Items.Count);
        foreach (var item in node.Items)
        {
            size += 1
                + BinarySpanWriter.SizeOfNullableString(item.Role)
                + BinarySpanWriter.SizeOfNullableString(item.CallId)
                + BinarySpanWriter.SizeOfNullableString(item.Id)
                + BinarySpanWriter.SizeOfBlob(item.Json.Length);
        }

        var buffer = new byte[size];
        var writer = new BinarySpanWriter(buffer);
        writer.WriteByte(Version);
        writer.WriteNullableString(node.ResponseId);
        writer.WriteNullableString(node.ParentResponseId);
        writer.WriteUInt128(node.Fingerprint);
        writer.WriteByte(node.Store ? StoreFlag : (byte)0);
        writer.WriteLength(node.Items.Count);
        foreach (var item in node.Items)
        {
            writer.WriteByte((byte)item.Kind);
            writer.WriteNullableString(item.Role);
            writer.WriteNullableString(item.CallId);
            writer.WriteNullableString(item.Id);
            writer.WriteBlob(item.Json);
        }

        return buffer;
    }

    /// <summary>
    /// Decodes a payload written by <see cref="Encode"/>. Returns <see langword="false"/> for anything else (another
    /// version, a length past the end, an unknown kind or flag, invalid UTF-8, item JSON that is not one object, trailing
    /// bytes), never throws.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TranscriptNodeData? node)
    {
        node = null;
        var reader = new BinarySpanReader(payload);
        if (!reader.TryReadByte(out var version) || version != Version) return false;
        if (!reader.TryReadString(out var responseId) || responseId.Length == 0) return false;
        if (!reader.TryReadNullableString(out var parentId)) return false;
        if (!reader.TryReadUInt128(out var fingerprint)) return false;
        if (!reader.TryReadByte(out var flags) || (flags & ~StoreFlag) != 0) return false;
        if (!reader.TryReadLength(out var count) || count > reader.Remaining / MinItemBytes) return false;

        var items = new InputItem[count];
        for (var i = 0; i < count; i++)
        {
            if (!TryReadItem(ref reader, out var item)) return false;
            items[i] = item;
        }

        if (reader.Remaining != 0) return false;
        node = new TranscriptNodeData(responseId, parentId, fingerprint, (flags & StoreFlag) != 0, items);
        return true;
    }

    private static bool TryReadItem(ref BinarySpanReader reader, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out InputItem? item)
    {
        item = null;
        if (!reader.TryReadByte(out var kind) || kind > (byte)InputItemKind.Other) return false;
        if (!reader.TryReadNullableUtf8(out var roleUtf8, out var hasRole)) return false;
        if (!reader.TryReadNullableString(out var callId)) return false;
        if (!reader.TryReadNullableString(out var id)) return false;
        if (!reader.TryReadBlob(out var json) || !IsOneObject(json)) return false;
        item = new InputItem((InputItemKind)kind, json.ToArray(), hasRole ? KnownRole(roleUtf8) ?? Encoding.UTF8.GetString(roleUtf8) : null, callId, id);
        return true;
    }

    /// <summary>Whether the bytes are exactly one JSON object (valid UTF-8, nothing before or after it).</summary>
    private static bool IsOneObject(ReadOnlySpan<byte> json)
    {
        // The JSON reader does not check the UTF-8 of string contents as it skips over them, so that is checked first.
        if (!Utf8.IsValid(json)) return false;
        var reader = new Utf8JsonReader(json, JsonOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The message roles as shared strings: every decoded message would otherwise allocate its own copy.</summary>
    private static string? KnownRole(ReadOnlySpan<byte> utf8) => utf8 switch
    {
        _ when utf8.SequenceEqual("user"u8) => "user",
        _ when utf8.SequenceEqual("assistant"u8) => "assistant",
        _ when utf8.SequenceEqual("system"u8) => "system",
        _ when utf8.SequenceEqual("developer"u8) => "developer",
        _ => null,
    };
}
