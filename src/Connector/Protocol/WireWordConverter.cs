using System.Text.Json;
using System.Text.Json.Serialization;

namespace ResponsesWebSocket.Protocol;

/// <summary>
/// Reads the short fixed words of the protocol (item and part types, roles) as shared string instances instead of a new
/// string per item: every output item is read twice (<c>output_item.added</c> and <c>.done</c>). Any other value reads as
/// the default string converter reads it (a non-string fails the same way).
/// </summary>
internal sealed class WireWordConverter : JsonConverter<string?>
{
    private static readonly string[] Words =
    [
        "message", "function_call", "reasoning", "assistant", "output_text", "refusal", "summary_text", "reasoning_text",
        "web_search_call", "file_search_call", "code_interpreter_call", "image_generation_call", "mcp_call", "mcp_list_tools",
        "mcp_approval_request", "custom_tool_call", "local_shell_call", "computer_call", "url_citation", "file_citation",
        "container_file_citation", "file_path",
    ];

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length <= 32)
        {
            foreach (var word in Words)
            {
                if (reader.ValueTextEquals(word)) return word;
            }
        }

        return reader.GetString();
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }
}
