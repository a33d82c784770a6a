using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>Maps MCP contents of a chat history to the Responses MCP input items.</summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="ToolApprovalResponseContent"/> for an <see cref="McpServerToolCallContent"/> → <c>mcp_approval_response</c>
/// (<c>approval_request_id</c>, <c>approve</c>, and the caller's <c>reason</c> when there is one). This is how a
/// <c>require_approval</c> MCP server gets its answer; approvals of client functions are FunctionInvokingChatClient's job.</item>
/// <item>The model's own <c>mcp_approval_request</c> and <c>mcp_call</c> items normally go back verbatim through the raw
/// item their contents carry. Without it (a history rebuilt or deserialized by the caller) they are rebuilt from the
/// contents, as the official client does: <see cref="ToolApprovalRequestContent"/> → <c>mcp_approval_request</c>, and an
/// <see cref="McpServerToolCallContent"/> with its <see cref="McpServerToolResultContent"/> → one <c>mcp_call</c>.</item>
/// </list>
/// </remarks>
internal static class McpItemMapper
{
    public static InputItem ApprovalResponse(ToolApprovalResponseContent response, ItemJsonWriter json)
    {
        Utf8JsonWriter writer = json.Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "mcp_approval_response"u8);
        writer.WriteString("approval_request_id"u8, response.RequestId);
        writer.WriteBoolean("approve"u8, response.Approved);
        if (!string.IsNullOrEmpty(response.Reason))
        {
            writer.WriteString("reason"u8, response.Reason);
        }

        writer.WriteEndObject();
        return new InputItem(InputItemKind.Other, json.End());
    }

    public static InputItem ApprovalRequest(string requestId, McpServerToolCallContent call, ItemJsonWriter json)
    {
        ReadOnlySpan<byte> arguments = Arguments(call, json);
        Utf8JsonWriter writer = json.Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "mcp_approval_request"u8);
        writer.WriteString("id"u8, requestId);
        writer.WriteString("server_label"u8, call.ServerName);
        writer.WriteString("name"u8, call.Name);
        writer.WriteString("arguments"u8, arguments);
        writer.WriteEndObject();
        return new InputItem(InputItemKind.ModelItem, json.End(), id: requestId);
    }

    public static InputItem Call(McpServerToolCallContent call, McpServerToolResultContent result, ItemJsonWriter json)
    {
        ReadOnlySpan<byte> arguments = Arguments(call, json);
        Utf8JsonWriter writer = json.Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "mcp_call"u8);
        writer.WriteString("id"u8, call.CallId);
        writer.WriteString("server_label"u8, call.ServerName);
        writer.WriteString("name"u8, call.Name);
        writer.WriteString("arguments"u8, arguments);
        if (result.Outputs?.OfType<ErrorContent>().FirstOrDefault() is { } error)
        {
            writer.WritePropertyName("error"u8);
            WriteError(writer, error);
        }
        else
        {
            StringBuilder output = new();
            foreach (TextContent text in result.Outputs?.OfType<TextContent>() ?? [])
            {
                output.Append(text.Text);
            }

            writer.WriteString("output"u8, output.ToString());
        }

        writer.WriteEndObject();
        return new InputItem(InputItemKind.ModelItem, json.End(), id: call.CallId);
    }

    /// <summary>The arguments as compact JSON text (<c>{}</c> when there are none); valid until the next scratch call.</summary>
    private static ReadOnlySpan<byte> Arguments(McpServerToolCallContent call, ItemJsonWriter json) =>
        call.Arguments is null ? "{}"u8 : json.SerializeToScratch(call.Arguments, typeof(IDictionary<string, object?>));

    /// <summary>
    /// The error object the service's own items carry when the content came from one (kept in <see cref="ErrorContent.Details"/>),
    /// else an execution error with the message.
    /// </summary>
    private static void WriteError(Utf8JsonWriter writer, ErrorContent error)
    {
        if (error.Details is { Length: > 0 } details && details[0] == '{')
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(details);
                document.RootElement.WriteTo(writer);
                return;
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through to the message.
            }
        }

        writer.WriteStartObject();
        writer.WriteString("type"u8, "mcp_tool_execution_error"u8);
        writer.WriteString("content"u8, error.Message);
        writer.WriteEndObject();
    }
}
