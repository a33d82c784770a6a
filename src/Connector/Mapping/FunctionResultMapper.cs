using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>Maps a <see cref="FunctionResultContent"/> to a <c>function_call_output</c> input item.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="string"/>: sent as is. <see langword="null"/>: <c>""</c> (the field is required).</item>
/// <item><see cref="JsonElement"/>: a JSON string is sent as its value; anything else as its compact JSON text.</item>
/// <item><see cref="AIContent"/> or a sequence of them: an output array of <c>input_text</c>/<c>input_image</c>/<c>input_file</c>
/// parts, so tools can return images and documents to the model.</item>
/// <item>Any other object: compact JSON text serialized with <see cref="AIJsonUtilities.DefaultOptions"/> contracts (the official
/// client sends it indented).</item>
/// <item>A failed call with no result: <c>"Error: " + message</c>, so the model learns the call failed instead of seeing an empty result.</item>
/// </list>
/// </remarks>
internal static class FunctionResultMapper
{
    public static InputItem ToInputItem(FunctionResultContent result, ItemJsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(json);

        Utf8JsonWriter writer = json.Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "function_call_output"u8);
        writer.WriteString("call_id"u8, result.CallId);
        WriteOutput(writer, result, json);
        writer.WriteEndObject();

        return new InputItem(InputItemKind.FunctionCallOutput, json.End(), callId: result.CallId);
    }

    private static void WriteOutput(Utf8JsonWriter writer, FunctionResultContent result, ItemJsonWriter json)
    {
        switch (result.Result)
        {
            case null:
                writer.WriteString("output"u8, result.Exception is { } exception ? "Error: " + exception.Message : string.Empty);
                break;

            case string text:
                writer.WriteString("output"u8, text);
                break;

            case JsonElement element:
                WriteElementOutput(writer, element, json);
                break;

            case AIContent content:
                WriteParts(writer, [content], json);
                break;

            case IEnumerable<AIContent> contents:
                WriteParts(writer, contents, json);
                break;

            default:
                writer.WriteString("output"u8, SerializeOrDescribe(result.Result, json));
                break;
        }
    }

    private static void WriteElementOutput(Utf8JsonWriter writer, JsonElement element, ItemJsonWriter json)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                // Written from the element's UTF-8 value: decoding it into a .NET string first cost a second copy of the
                // whole result (twice its size in UTF-16) for every turn.
                writer.WritePropertyName("output"u8);
                element.WriteTo(writer);
                break;

            case JsonValueKind.Undefined or JsonValueKind.Null:
                writer.WriteString("output"u8, string.Empty);
                break;

            default:
                // Re-written through the compact writer: the element may come from an indented document.
                writer.WriteString("output"u8, json.WriteToScratch(element));
                break;
        }
    }

    private static void WriteParts(Utf8JsonWriter writer, IEnumerable<AIContent> contents, ItemJsonWriter json)
    {
        // Parts are buffered first: an empty (or all-skipped) list must become "output":"" because the service rejects an
        // empty array, and the decision has to be made before the property is written.
        List<AIContent> parts = [.. contents.Where(static c => c is not null && c is not UsageContent)];
        if (parts.Count == 0)
        {
            writer.WriteString("output"u8, string.Empty);
            return;
        }

        writer.WritePropertyName("output"u8);
        writer.WriteStartArray();
        foreach (AIContent part in parts)
        {
            if (!InputContentPartWriter.TryWrite(writer, part))
            {
                // Content with no part shape of its own (errors, annotations, custom types) is still information the tool
                // returned; it goes to the model as its JSON form rather than being dropped.
                InputContentPartWriter.WriteInputText(writer, SerializeOrDescribe(part, json, typeof(AIContent)));
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Compact JSON text of <paramref name="value"/>. A type the serializer cannot handle falls back to its
    /// <see cref="object.ToString"/> form: a readable approximation is better for the model than an empty result.
    /// </summary>
    private static string SerializeOrDescribe(object value, ItemJsonWriter json, Type? type = null)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(json.SerializeToScratch(value, type ?? value.GetType()));
        }
        catch (NotSupportedException)
        {
            return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }
        catch (InvalidOperationException)
        {
            return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }
        catch (JsonException)
        {
            // Reference cycles and similar shape problems.
            return Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }
    }
}
