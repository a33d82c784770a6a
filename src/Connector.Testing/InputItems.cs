using System.Text;
using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>Reads the loosely typed input items of the Responses API (typed items and "easy" role/content messages).</summary>
internal static class InputItems
{
    /// <summary>The item's <c>type</c>; an item with only <c>role</c> is an easy input message, so it reports <c>message</c>.</summary>
    public static string? TypeOf(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (item.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }

        return item.TryGetProperty("role", out _) ? "message" : null;
    }

    public static string? StringProperty(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static bool IsMessageWithRole(JsonElement item, string role) =>
        TypeOf(item) == "message" && StringProperty(item, "role") == role;

    /// <summary>The text of a message: a plain string content, or its text parts joined by a space.</summary>
    public static string TextOf(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString() ?? string.Empty;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (StringProperty(part, "text") is { } partText)
            {
                if (text.Length > 0)
                {
                    text.Append(' ');
                }

                text.Append(partText);
            }
        }

        return text.ToString();
    }

    /// <summary>Turns the <c>input</c> field into items; a bare string is shorthand for one user message.</summary>
    public static bool TryNormalize(JsonElement root, out IReadOnlyList<JsonElement> items)
    {
        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            items = [];
            return true;
        }

        if (input.ValueKind == JsonValueKind.String)
        {
            items = [UserMessage(input.GetString() ?? string.Empty)];
            return true;
        }

        if (input.ValueKind == JsonValueKind.Array)
        {
            items = [.. input.EnumerateArray()];
            return true;
        }

        items = [];
        return false;
    }

    private static JsonElement UserMessage(string text) =>
        JsonBytes.ToElement(writer =>
        {
            writer.WriteString("type", "message");
            writer.WriteString("role", "user");
            writer.WriteStartArray("content");
            writer.WriteStartObject();
            writer.WriteString("type", "input_text");
            writer.WriteString("text", text);
            writer.WriteEndObject();
            writer.WriteEndArray();
        });
}
