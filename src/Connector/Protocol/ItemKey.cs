using System.Buffers;
using System.Text.Json;

namespace ResponsesWebSocket.Protocol;

/// <summary>
/// The content identity of an input item, used to recognise a resent history as an extension of a known transcript.
/// </summary>
/// <remarks>
/// Callers resend history as new objects with new serialization details (hosts that keep their own chat history rebuild every message,
/// Microsoft.Extensions.AI pretty-prints arguments, the server returns them compact, ids and statuses come and go), so
/// identity is computed from what the model sees: the role and text of messages, the call id, name and arguments of
/// function calls (arguments compared as canonical JSON), and the call id and output of tool results. Reasoning items
/// have no key: such hosts drop them, and the model's reasoning is not part of what a caller can edit.
/// The canonical form is hashed (SHA-256, 128 bits kept) so a transcript keeps 16 bytes per item, not a copy of its text.
/// </remarks>
internal static class ItemKey
{
    // The canonical form only lives until it is hashed: one buffer per thread serves every item (see ReusableJsonBuffer).
    [ThreadStatic]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "t_ marks a thread-static field, as in the runtime's own code.")]
    private static ReusableJsonBuffer? t_buffer;

    /// <summary>Computes the key of an item, or <see langword="null"/> for items that take no part in matching (reasoning).</summary>
    public static UInt128? Compute(InputItem item)
    {
        if (item.Kind == InputItemKind.Reasoning) return null;
        try
        {
            return ComputeCanonical(item);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            // An item the server sent in a shape (or with text) the canonical form cannot read: its exact bytes identify
            // it, which still matches when a caller resends it unchanged (as RawRepresentation does).
            return ContentHash.Of(item.Json);
        }
    }

    private static UInt128? ComputeCanonical(InputItem item)
    {
        using var document = JsonDocument.Parse(item.Json);
        var root = document.RootElement;
        var type = root.ValueKind != JsonValueKind.Object ? null
            : root.TryGetProperty("type", out _) ? Str(root, "type")
            : (root.TryGetProperty("role", out _) ? "message" : null);
        if (type == "reasoning") return null;

        var buffer = ReusableJsonBuffer.Rent(ref t_buffer, default, initialCapacity: 512);
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartArray();
            switch (type)
            {
                case "message":
                    writer.WriteStringValue("m");
                    writer.WriteStringValue(Str(root, "role"));
                    WriteMessageContent(writer, root);
                    break;
                case "function_call":
                    writer.WriteStringValue("c");
                    writer.WriteStringValue(Str(root, "call_id"));
                    writer.WriteStringValue(Str(root, "name"));
                    WriteJsonText(writer, Str(root, "arguments"));
                    break;
                case "function_call_output":
                    writer.WriteStringValue("o");
                    writer.WriteStringValue(Str(root, "call_id"));
                    if (root.TryGetProperty("output", out var output)) WriteCanonical(writer, output); else writer.WriteNullValue();
                    break;
                default:
                    // Hosted-tool items and newer kinds: their id identifies them; without one, their whole content does.
                    writer.WriteStringValue("x");
                    writer.WriteStringValue(type);
                    if (root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) writer.WriteStringValue(id.GetString());
                    else WriteCanonical(writer, root);
                    break;
            }

            writer.WriteEndArray();
            writer.Flush();
            return ContentHash.Of(buffer.WrittenSpan);
        }
        finally
        {
            ReusableJsonBuffer.Return(ref t_buffer, buffer);
        }
    }

    private static void WriteMessageContent(Utf8JsonWriter writer, JsonElement root)
    {
        writer.WriteStartArray();
        if (root.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String)
            {
                writer.WriteStringValue("t");
                writer.WriteStringValue(content.GetString());
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    switch (Str(part, "type"))
                    {
                        case "input_text" or "output_text" or "text":
                            // Input and output text are the same thing to the model; adjacent parts are compared joined.
                            writer.WriteStringValue("t");
                            writer.WriteStringValue(Str(part, "text"));
                            break;
                        case "refusal":
                            writer.WriteStringValue("r");
                            writer.WriteStringValue(Str(part, "refusal"));
                            break;
                        case "input_image":
                            writer.WriteStringValue("i");
                            writer.WriteStringValue(Str(part, "image_url") ?? Str(part, "file_id"));
                            break;
                        case "input_file":
                            writer.WriteStringValue("f");
                            writer.WriteStringValue(Str(part, "file_id") ?? Str(part, "file_url") ?? Str(part, "file_data"));
                            break;
                        default:
                            WriteCanonical(writer, part);
                            break;
                    }
                }
            }
        }

        writer.WriteEndArray();
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static void WriteJsonText(Utf8JsonWriter writer, string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            WriteEmptyObject(writer);
            return;
        }

        try
        {
            using var parsed = JsonDocument.Parse(json);
            WriteCanonical(writer, parsed.RootElement);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(json);
        }
    }

    private static void WriteEmptyObject(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes an object's properties in ordinal name order. Each name is decoded once and sorted with its property in
    /// pooled arrays, instead of through a LINQ ordering (an iterator, a key buffer and a comparison delegate per object).
    /// </summary>
    private static void WriteSortedProperties(Utf8JsonWriter writer, JsonElement element)
    {
        var count = element.GetPropertyCount();
        var names = ArrayPool<string>.Shared.Rent(count);
        var properties = ArrayPool<JsonProperty>.Shared.Rent(count);
        try
        {
            var n = 0;
            foreach (var property in element.EnumerateObject())
            {
                names[n] = property.Name;
                properties[n++] = property;
            }

            Array.Sort(names, properties, 0, n, StringComparer.Ordinal);
            for (var i = 0; i < n; i++)
            {
                writer.WritePropertyName(names[i]);
                WriteCanonical(writer, properties[i].Value);
            }
        }
        finally
        {
            ArrayPool<string>.Shared.Return(names, clearArray: true);
            ArrayPool<JsonProperty>.Shared.Return(properties, clearArray: true);
        }
    }

    /// <summary>Writes JSON with object properties sorted, so key order and whitespace never change the identity.</summary>
    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                WriteSortedProperties(writer, element);
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                // 1, 1.0 and 1e0 are the same argument; a number past double's range is kept as written.
                if (element.TryGetDouble(out var number) && double.IsFinite(number)) writer.WriteNumberValue(number);
                else element.WriteTo(writer);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
