using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>The Response object as it evolves while events are planned; each response event serializes its current state.</summary>
internal sealed class ResponseSnapshot(string id, long createdAt, CreateRequest request)
{
    public string Id { get; } = id;

    public string Status { get; set; } = "in_progress";

    public List<JsonElement> Output { get; } = [];

    public UsageCounts? Usage { get; set; }

    public (string Code, string Message)? Error { get; set; }

    public string? IncompleteReason { get; set; }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("object", "response");
        writer.WriteNumber("created_at", createdAt);
        writer.WriteString("status", Status);
        writer.WriteBoolean("background", false);
        WriteError(writer);
        WriteIncompleteDetails(writer);
        Echo(writer, "instructions", "null");
        Echo(writer, "max_output_tokens", "null");
        writer.WriteString("model", request.Model);
        writer.WriteStartArray("output");
        foreach (var item in Output)
        {
            item.WriteTo(writer);
        }

        writer.WriteEndArray();
        Echo(writer, "parallel_tool_calls", "true");
        Echo(writer, "previous_response_id", "null");
        Echo(writer, "reasoning", "null");
        writer.WriteBoolean("store", request.Store);
        Echo(writer, "temperature", "1");
        Echo(writer, "text", """{"format":{"type":"text"}}""");
        Echo(writer, "tool_choice", "\"auto\"");
        Echo(writer, "tools", "[]");
        Echo(writer, "top_p", "1");
        Echo(writer, "truncation", "\"disabled\"");
        WriteUsage(writer);
        Echo(writer, "metadata", "{}");
        writer.WriteEndObject();
    }

    // Request fields are echoed verbatim, as the live service does; absent ones get the service's defaults.
    private void Echo(Utf8JsonWriter writer, string name, string defaultJson)
    {
        writer.WritePropertyName(name);
        if (request.Root.TryGetProperty(name, out var value))
        {
            value.WriteTo(writer);
        }
        else
        {
            writer.WriteRawValue(defaultJson, skipInputValidation: true);
        }
    }

    private void WriteError(Utf8JsonWriter writer)
    {
        if (Error is not { } error)
        {
            writer.WriteNull("error");
            return;
        }

        writer.WriteStartObject("error");
        writer.WriteString("code", error.Code);
        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
    }

    private void WriteIncompleteDetails(Utf8JsonWriter writer)
    {
        if (IncompleteReason is null)
        {
            writer.WriteNull("incomplete_details");
            return;
        }

        writer.WriteStartObject("incomplete_details");
        writer.WriteString("reason", IncompleteReason);
        writer.WriteEndObject();
    }

    private void WriteUsage(Utf8JsonWriter writer)
    {
        if (Usage is not { } usage)
        {
            writer.WriteNull("usage");
            return;
        }

        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.InputTokens);
        writer.WriteStartObject("input_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedTokens);
        writer.WriteNumber("cache_write_tokens", usage.CacheWriteTokens);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens", usage.OutputTokens);
        writer.WriteStartObject("output_tokens_details");
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteEndObject();
    }
}
