using System.Text;
using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Turns a raw reply into a response plan: the frames go out untouched, and the last JSON terminal event among them,
/// read leniently, decides what the connection caches (see <see cref="ScriptedReply.RawFrames"/>).
/// </summary>
internal static class RawReplyPlanner
{
    public static ResponsePlan Plan(IReadOnlyList<RawFrame> frames, ResolvedContext context)
    {
        var events = new List<ResponseEvent>(frames.Count);
        string? terminalType = null;
        JsonElement terminalResponse = default;
        foreach (var frame in frames)
        {
            JsonElement root = default;
            var type = frame.IsBinary ? null : TryReadEvent(frame.Payload, out root);
            events.Add(new ResponseEvent(type, frame.Payload, frame.IsBinary));
            if (type is "response.completed" or "response.incomplete" or "response.failed" or "response.done" or "error")
            {
                terminalType = type;
                terminalResponse = root.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object ? response : default;
            }
        }

        var finalJson = terminalResponse.ValueKind == JsonValueKind.Object ? Encoding.UTF8.GetBytes(terminalResponse.GetRawText()) : null;
        return new ResponsePlan(events, Cacheable(terminalType, terminalResponse, context), finalJson);
    }

    private static CachedResponse? Cacheable(string? terminalType, JsonElement response, ResolvedContext context)
    {
        if (response.ValueKind != JsonValueKind.Object || InputItems.StringProperty(response, "id") is not { } id)
        {
            return null;
        }

        var status = InputItems.StringProperty(response, "status");
        var succeeded = terminalType switch
        {
            "response.completed" or "response.incomplete" => status is null or "completed" or "incomplete",
            "response.done" => status is "completed" or "incomplete",
            _ => false,
        };
        if (!succeeded)
        {
            return null;
        }

        IReadOnlyList<JsonElement> output = response.TryGetProperty("output", out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray()]
            : [];
        return new CachedResponse(id, context.Items, output);
    }

    /// <summary>The <c>type</c> of a frame that is a JSON object, or <see langword="null"/> for anything else (never throws).</summary>
    private static string? TryReadEvent(byte[] payload, out JsonElement root)
    {
        try
        {
            root = JsonElement.Parse(payload);
        }
        catch (JsonException)
        {
            // Malformed on purpose (fuzzing, invalid UTF-8): it is sent as is and simply never counts as a terminal.
            root = default;
            return null;
        }

        return InputItems.StringProperty(root, "type");
    }
}
