using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>Maps chat history (<see cref="ChatMessage"/>s) to Responses input items.</summary>
/// <remarks>
/// <para>The mapping follows the official Microsoft.Extensions.AI.OpenAI client where the service allows it, with these rules:</para>
/// <list type="bullet">
/// <item>Any role: a content whose <see cref="AIContent.RawRepresentation"/> is an <see cref="InputItem"/> is emitted verbatim
/// (once, however many contents share that instance). This is how the model's own output items (function calls with their
/// ids and exact <c>arguments</c> string, encrypted reasoning) go back byte for byte.</item>
/// <item>Any role: <see cref="FunctionCallContent"/> → <c>function_call</c>; <see cref="FunctionResultContent"/> →
/// <c>function_call_output</c>; <see cref="TextReasoningContent"/> → <c>reasoning</c>. A reasoning content with neither a
/// <c>reasoningItemId</c> nor <see cref="TextReasoningContent.ProtectedData"/> is dropped: the service cannot accept it
/// (summary text alone is not valid reasoning input).</item>
/// <item>System / developer: the text of the message as one <c>input_text</c>; skipped when it is whitespace. Images and files
/// there throw <see cref="NotSupportedException"/> rather than being dropped.</item>
/// <item>User (and any role this library does not know, which the service would reject by name): text, images and files as
/// <c>input_*</c> parts (see <see cref="InputContentPartWriter"/>); audio throws <see cref="NotSupportedException"/>; a
/// message that produced nothing becomes one empty <c>input_text</c>, as in the official client.</item>
/// <item>Assistant: consecutive text → one message item per run, not per content (string content when the message is only
/// text, else <c>output_text</c> parts);
/// <see cref="ErrorContent"/> with <c>ErrorCode == "Refusal"</c> → a <c>refusal</c> part. Media in assistant messages has no
/// input shape in the Responses API and is ignored.</item>
/// <item>Tool: only function results (and verbatim items) map; stray text or media in a tool message has no input shape
/// and is ignored.</item>
/// <item>Any role: <see cref="ToolApprovalResponseContent"/> for an MCP call → <c>mcp_approval_response</c>. Assistant:
/// <see cref="ToolApprovalRequestContent"/> and <see cref="McpServerToolCallContent"/> + <see cref="McpServerToolResultContent"/>
/// without their raw item are rebuilt as <c>mcp_approval_request</c> / <c>mcp_call</c> (<see cref="McpItemMapper"/>).</item>
/// <item><see cref="ErrorContent"/> (other than refusals) and <see cref="UsageContent"/> are informational and ignored, as are
/// other content types without an <see cref="InputItem"/> raw representation (hosted-tool call and result contents, approvals
/// of client functions): hosted-tool items round-trip only through the raw items the client attaches to them.</item>
/// </list>
/// </remarks>
internal static class ChatMessageMapper
{
    /// <summary>The <c>AdditionalProperties</c> key MEAI.OpenAI uses for a reasoning item's id (dotnet/extensions#7628); shared for interoperable histories.</summary>
    public const string ReasoningItemIdKey = "reasoningItemId";

    private const string RefusalErrorCode = "Refusal";

    private static readonly ChatRole DeveloperRole = new("developer");

    /// <summary>Appends the input items for <paramref name="messages"/> to <paramref name="destination"/>. The messages are not modified.</summary>
    /// <exception cref="NotSupportedException">A message carries content the Responses API cannot accept (audio, media in a system message).</exception>
    public static void AppendInputItems(IEnumerable<ChatMessage> messages, List<InputItem> destination)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(destination);

        using InputItemBuilder builder = new(destination);
        foreach (ChatMessage message in messages)
        {
            if (message is null)
            {
                continue;
            }

            string role = GetWireRole(message.Role);
            int before = builder.Version;
            foreach (AIContent content in message.Contents)
            {
                if (content is not null)
                {
                    MapContent(builder, role, content);
                }
            }

            if (role == "user" && builder.Version == before)
            {
                builder.AddEmptyUserMessage();
            }

            builder.EndMessage();
        }

        builder.Flush();
    }

    private static void MapContent(InputItemBuilder builder, string role, AIContent content)
    {
        if (content.RawRepresentation is InputItem item)
        {
            builder.AddRaw(item);
            return;
        }

        switch (content)
        {
            case FunctionCallContent call:
                builder.AddFunctionCall(call);
                break;

            case FunctionResultContent result:
                builder.AddFunctionResult(result);
                break;

            case TextReasoningContent reasoning:
                builder.AddReasoning(reasoning);
                break;

            case ToolApprovalResponseContent { ToolCall: McpServerToolCallContent } approval:
                builder.AddMcpApprovalResponse(approval);
                break;

            case ToolApprovalRequestContent { ToolCall: McpServerToolCallContent call } request when role == "assistant":
                builder.AddMcpApprovalRequest(request.RequestId, call);
                break;

            case McpServerToolCallContent call when role == "assistant":
                builder.AddMcpCall(call);
                break;

            case McpServerToolResultContent result when role == "assistant":
                builder.AddMcpResult(result);
                break;

            case ErrorContent { ErrorCode: RefusalErrorCode } refusal when role == "assistant":
                builder.AddAssistantRefusal(refusal.Message);
                break;

            case TextContent text:
                MapText(builder, role, text);
                break;

            case DataContent or UriContent or HostedFileContent:
                MapMedia(builder, role, content);
                break;

            default:
                // ErrorContent, UsageContent and content types without an input shape: see the type remarks.
                break;
        }
    }

    private static void MapText(InputItemBuilder builder, string role, TextContent text)
    {
        switch (role)
        {
            case "assistant":
                builder.AddAssistantText(text.Text);
                break;
            case "system" or "developer":
                builder.AddSystemText(role, text.Text);
                break;
            case "tool":
                break;
            default:
                builder.AddInputPart(role, text);
                break;
        }
    }

    private static void MapMedia(InputItemBuilder builder, string role, AIContent content)
    {
        switch (role)
        {
            case "assistant" or "tool":
                break;
            case "system" or "developer":
                throw new NotSupportedException(
                    $"{content.GetType().Name} in a {role} message is not supported by the Responses API; send images and files in a user message.");
            default:
                builder.AddInputPart(role, content);
                break;
        }
    }

    /// <summary>
    /// The wire role. <see cref="ChatRole"/> compares case-insensitively; unknown roles map to <c>user</c> because the service
    /// accepts only its own role names and the content of such a message is still the caller's input.
    /// </summary>
    private static string GetWireRole(ChatRole role) =>
        role == ChatRole.System ? "system" :
        role == DeveloperRole ? "developer" :
        role == ChatRole.Assistant ? "assistant" :
        role == ChatRole.Tool ? "tool" :
        "user";
}
