using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>
/// Tolerant reading and editing of fuzzed frames as JSON trees: parsing that gives up (null) instead of throwing, and the
/// list of every value slot a mutation may replace.
/// </summary>
internal static class JsonTree
{
    public static JsonObject? AsObject(JsonNode? node) => node as JsonObject;

    public static JsonNode? TryParse(byte[] bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) return null;
        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = 900 });
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    public static bool IsTerminal(FuzzFrame frame)
    {
        try
        {
            return !frame.Binary && TryParse(frame.Bytes) is JsonObject obj
                && StringOf(obj["type"]) is "response.completed" or "response.incomplete" or "response.failed" or "response.cancelled" or "response.done" or "error";
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The string a node holds, or null (not a string, or not decodable: earlier mutations put lone surrogates in).</summary>
    public static string? StringOf(JsonNode? node)
    {
        try
        {
            return node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Every property value and array element under <paramref name="root"/> (the root itself excluded).</summary>
    public static List<(JsonNode Parent, string? Key, int Index)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, string?, int)>();
        var pending = new Stack<JsonNode>([root]);
        while (pending.Count > 0 && slots.Count < 5000)
        {
            var node = pending.Pop();
            if (node is JsonObject obj)
            {
                foreach (var (key, child) in obj)
                {
                    slots.Add((obj, key, -1));
                    if (child is not null) pending.Push(child);
                }
            }
            else if (node is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, null, i));
                    if (array[i] is { } child) pending.Push(child);
                }
            }
        }

        return slots;
    }

    public static JsonNode? Get((JsonNode Parent, string? Key, int Index) slot) =>
        slot.Key is { } key ? slot.Parent[key] : slot.Parent[slot.Index];

    public static void Set(JsonNode parent, string? key, int index, JsonNode? value)
    {
        if (key is not null) parent[key] = value;
        else parent[index] = value;
    }
}
