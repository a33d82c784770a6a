using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// The MEAI contents for hosted-tool, MCP and custom-tool items, as Microsoft.Extensions.AI.OpenAI surfaces them: the
/// finished items (<c>output_item.done</c>) and the streaming partials MEAI has types for.
/// </summary>
/// <remarks>
/// <para>Every content made from a finished item carries the item's <see cref="InputItem"/> as
/// <see cref="AIContent.RawRepresentation"/> (one shared instance per item), so a history resend writes the model's bytes
/// back once and unchanged. Contents made from partial events carry the event JSON instead; they take no part in a resend.</para>
/// <list type="table">
/// <listheader><term>Item</term><description>Contents</description></listheader>
/// <item><term><c>web_search_call</c></term><description><see cref="WebSearchToolCallContent"/> (queries) and
/// <see cref="WebSearchToolResultContent"/> (sources as <see cref="UriContent"/>, when the request included them).</description></item>
/// <item><term><c>file_search_call</c></term><description><see cref="ToolCallContent"/> and <see cref="ToolResultContent"/>,
/// as the official client does (MEAI has no file-search types).</description></item>
/// <item><term><c>code_interpreter_call</c></term><description><see cref="CodeInterpreterToolCallContent"/> (the code as
/// <c>text/x-python</c> data; skipped when it was streamed as deltas) and <see cref="CodeInterpreterToolResultContent"/>
/// (logs as text, images, container files as <see cref="HostedFileContent"/>).</description></item>
/// <item><term><c>image_generation_call</c></term><description><see cref="ImageGenerationToolCallContent"/> (skipped when
/// <c>in_progress</c> already surfaced it) and <see cref="ImageGenerationToolResultContent"/> with the image bytes.</description></item>
/// <item><term><c>mcp_call</c></term><description><see cref="McpServerToolCallContent"/> and
/// <see cref="McpServerToolResultContent"/> (the output as text, or an <see cref="ErrorContent"/>).</description></item>
/// <item><term><c>mcp_approval_request</c></term><description><see cref="ToolApprovalRequestContent"/> around an
/// <see cref="McpServerToolCallContent"/>; answer it with <see cref="ToolApprovalRequestContent.CreateResponse"/>.</description></item>
/// <item><term><c>custom_tool_call</c></term><description><see cref="ToolCallContent"/> with the call id, as the official
/// client surfaces other non-function calls; the input is in the raw item.</description></item>
/// <item><term>anything else (<c>mcp_list_tools</c>, …)</term><description>a plain <see cref="AIContent"/> carrying the raw
/// item, as in the official client.</description></item>
/// </list>
/// </remarks>
internal static class HostedToolContents
{
    /// <summary>The media type MEAI uses for code interpreter source.</summary>
    public const string PythonMediaType = "text/x-python";

    private static readonly JsonTypeInfo<Dictionary<string, object?>> ArgumentsTypeInfo =
        (JsonTypeInfo<Dictionary<string, object?>>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(Dictionary<string, object?>));

    /// <summary>The contents for a finished item that is not a message, reasoning or function call.</summary>
    public static List<AIContent> FromItem(string? type, InputItem raw, OutputItemState state)
    {
        using JsonDocument document = JsonDocument.Parse(raw.Json);
        JsonElement item = document.RootElement;
        string id = Str(item, "id") ?? state.ItemId ?? string.Empty;
        switch (type)
        {
            case "web_search_call":
                return
                [
                    new WebSearchToolCallContent(id) { Queries = WebSearchQueries(item), RawRepresentation = raw },
                    new WebSearchToolResultContent(id) { Outputs = WebSearchSources(item), RawRepresentation = raw },
                ];

            case "file_search_call":
                return [new ToolCallContent(id) { RawRepresentation = raw }, new ToolResultContent(id) { RawRepresentation = raw }];

            case "code_interpreter_call":
            {
                var result = new CodeInterpreterToolResultContent(id) { Outputs = CodeInterpreterOutputs(item), RawRepresentation = raw };
                if (state.StreamedText || Str(item, "code") is not { Length: > 0 } code)
                {
                    return [result];
                }

                return [new CodeInterpreterToolCallContent(id) { Inputs = [Code(code)], RawRepresentation = raw }, result];
            }

            case "image_generation_call":
            {
                var result = new ImageGenerationToolResultContent(id) { RawRepresentation = raw };
                if (item.TryGetProperty("result", out JsonElement image) && image.ValueKind == JsonValueKind.String)
                {
                    byte[] bytes = image.GetBytesFromBase64();
                    string? format = Str(item, "output_format");
                    result.Outputs = [new DataContent(bytes, format is { Length: > 0 } ? "image/" + format : ImageMediaType(bytes))];
                }

                return state.SurfacedCall ? [result] : [new ImageGenerationToolCallContent(id) { RawRepresentation = raw }, result];
            }

            case "mcp_call":
            {
                AIContent output = item.TryGetProperty("error", out JsonElement error) && error.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
                    ? McpError(error)
                    : new TextContent(Str(item, "output"));
                return
                [
                    McpCall(item, id, raw),
                    new McpServerToolResultContent(id) { Outputs = [output], RawRepresentation = raw },
                ];
            }

            case "mcp_approval_request":
                return [new ToolApprovalRequestContent(id, McpCall(item, id, raw)) { RawRepresentation = raw }];

            case "custom_tool_call":
                return [new ToolCallContent(Str(item, "call_id") ?? id) { RawRepresentation = raw }];

            default:
                return [new AIContent { RawRepresentation = raw }];
        }
    }

    /// <summary>A piece of code interpreter source, as MEAI streams it.</summary>
    public static DataContent Code(string code) => new(Encoding.UTF8.GetBytes(code), PythonMediaType);

    /// <summary>
    /// A partial image (<c>response.image_generation_call.partial_image</c>): a result content the final image replaces when
    /// updates are merged (same call id); <see langword="null"/> when the event carries no image.
    /// </summary>
    public static ImageGenerationToolResultContent? PartialImage(string itemId, int outputIndex, JsonElement evt)
    {
        if (!evt.TryGetProperty("partial_image_b64", out JsonElement image) || image.ValueKind != JsonValueKind.String
            || !image.TryGetBytesFromBase64(out byte[]? bytes) || bytes.Length == 0)
        {
            return null;
        }

        string? format = Str(evt, "output_format");
        return new(itemId)
        {
            Outputs =
            [
                new DataContent(bytes, format is { Length: > 0 } ? "image/" + format : ImageMediaType(bytes))
                {
                    AdditionalProperties = new()
                    {
                        ["ItemId"] = itemId,
                        ["OutputIndex"] = outputIndex,
                        ["PartialImageIndex"] = evt.TryGetProperty("partial_image_index", out JsonElement index) && index.TryGetInt32(out int value) ? value : 0,
                    },
                },
            ],
            RawRepresentation = evt,
        };
    }

    /// <summary>The image type from the file signature (the item does not always say); PNG, the service default, otherwise.</summary>
    public static string ImageMediaType(ReadOnlySpan<byte> image) =>
        image.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg" :
        image.Length >= 12 && image.StartsWith("RIFF"u8) && image[8..12].SequenceEqual("WEBP"u8) ? "image/webp" :
        "image/png";

    private static McpServerToolCallContent McpCall(JsonElement item, string id, InputItem raw) =>
        new(id, Str(item, "name") ?? string.Empty, Str(item, "server_label") ?? string.Empty)
        {
            Arguments = Arguments(Str(item, "arguments")),
            RawRepresentation = raw,
        };

    /// <summary>An MCP call error: a string, or an object (protocol, execution or HTTP error) whose message is used when it has one.</summary>
    private static ErrorContent McpError(JsonElement error) => error.ValueKind == JsonValueKind.String
        ? new ErrorContent(error.GetString())
        : new ErrorContent(Str(error, "message") ?? error.GetRawText()) { ErrorCode = Str(error, "type"), Details = error.GetRawText() };

    private static Dictionary<string, object?>? Arguments(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, ArgumentsTypeInfo);
        }
        catch (JsonException)
        {
            // The raw item keeps the exact text; a typed view of malformed arguments would only be a guess.
            return null;
        }
    }

    private static List<string>? WebSearchQueries(JsonElement item)
    {
        if (!item.TryGetProperty("action", out JsonElement action) || action.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (action.TryGetProperty("queries", out JsonElement queries) && queries.ValueKind == JsonValueKind.Array && queries.GetArrayLength() > 0)
        {
            return [.. queries.EnumerateArray().Where(static q => q.ValueKind == JsonValueKind.String).Select(static q => q.GetString()!)];
        }

        return Str(action, "query") is { } query ? [query] : null;
    }

    private static List<AIContent>? WebSearchSources(JsonElement item)
    {
        if (!item.TryGetProperty("action", out JsonElement action) || action.ValueKind != JsonValueKind.Object
            || !action.TryGetProperty("sources", out JsonElement sources) || sources.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        List<AIContent>? outputs = null;
        foreach (JsonElement source in sources.EnumerateArray())
        {
            if (Str(source, "url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
            {
                (outputs ??= []).Add(new UriContent(uri, "text/html"));
            }
        }

        return outputs;
    }

    private static List<AIContent>? CodeInterpreterOutputs(JsonElement item)
    {
        if (!item.TryGetProperty("outputs", out JsonElement outputs) || outputs.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        List<AIContent>? contents = null;
        foreach (JsonElement output in outputs.EnumerateArray())
        {
            switch (Str(output, "type"))
            {
                case "logs":
                    (contents ??= []).Add(new TextContent(Str(output, "logs")));
                    break;

                case "image" when Str(output, "url") is { } url:
                    if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                    {
                        (contents ??= []).Add(new DataContent(url));
                    }
                    else if (Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
                    {
                        (contents ??= []).Add(new UriContent(uri, "image/*"));
                    }

                    break;

                default:
                    // Container files: {"files":[{"file_id":…,"mime_type":…}]} on newer output kinds.
                    if (output.TryGetProperty("files", out JsonElement files) && files.ValueKind == JsonValueKind.Array)
                    {
                        foreach (JsonElement file in files.EnumerateArray())
                        {
                            if ((Str(file, "file_id") ?? Str(file, "id")) is { } fileId)
                            {
                                (contents ??= []).Add(new HostedFileContent(fileId) { MediaType = Str(file, "mime_type") });
                            }
                        }
                    }

                    break;
            }
        }

        return contents;
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
