using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// Accumulates input items for one history-mapping pass. Contents that belong to one wire item (the parts of a user
/// message, consecutive assistant text, the pieces of one reasoning item) are held as pending state and written when
/// something else arrives, so the item order on the wire is the content order in the history.
/// </summary>
/// <remarks>Not thread-safe; one instance per <see cref="ChatMessageMapper.AppendInputItems"/> call.</remarks>
internal sealed class InputItemBuilder : IDisposable
{
    private readonly List<InputItem> _destination;
    private readonly ItemJsonWriter _json = new();

    private Pending _pending;
    private string _pendingRole = "user";

    // Open input-parts message: the writer holds {"type":"message","role":…,"content":[ … until flushed.
    private Utf8JsonWriter? _openPartsWriter;

    // System/developer text, combined into one input_text as the official client does (ChatMessage.Text).
    private StringBuilder? _systemText;

    // Created on first use: most calls (a tool loop's function results, a user message) need neither.
    private PendingAssistantMessage? _assistant;
    private PendingReasoning? _reasoning;

    // What verbatim items already put on the wire, so a mapped duplicate of the same item is not sent twice (the service
    // rejects duplicate item ids, and one item can be referenced by several contents: summary parts plus the done event).
    private HashSet<InputItem>? _rawItems;
    private HashSet<string>? _rawItemIds;
    private HashSet<string>? _rawCallIds;

    // MCP calls without their raw item, waiting for the result that completes their mcp_call item.
    private Dictionary<string, McpServerToolCallContent>? _mcpCalls;

    public InputItemBuilder(List<InputItem> destination)
    {
        _destination = destination;
    }

    private enum Pending
    {
        None,
        InputParts,
        SystemText,
        AssistantParts,
        Reasoning,
    }

    /// <summary>Gets a counter bumped whenever content is accepted; lets the caller see whether a message produced anything.</summary>
    public int Version { get; private set; }

    /// <summary>Emits an item the client kept from an earlier response (or any caller-built item) byte for byte.</summary>
    public void AddRaw(InputItem item)
    {
        Version++;
        if (_rawItems?.Contains(item) == true)
        {
            // Several contents of one output item (e.g. reasoning summary parts) share the instance; send it once.
            return;
        }

        if (_pending == Pending.Reasoning && item.Kind == InputItemKind.Reasoning && item.Id is not null && item.Id == Reasoning.Id)
        {
            // Pieces of the same reasoning item mapped without the raw item; the verbatim item supersedes them.
            Reasoning.Clear();
            _pending = Pending.None;
        }

        Flush();
        (_rawItems ??= new(ReferenceEqualityComparer.Instance)).Add(item);
        if (item.Id is not null)
        {
            (_rawItemIds ??= new(StringComparer.Ordinal)).Add(item.Id);
        }

        if (item.Kind == InputItemKind.FunctionCall && item.CallId is not null)
        {
            (_rawCallIds ??= new(StringComparer.Ordinal)).Add(item.CallId);
        }

        _destination.Add(item);
    }

    /// <summary>Adds an input part (text, image, file) to the open message of <paramref name="role"/>.</summary>
    public void AddInputPart(string role, AIContent content)
    {
        Version++;
        if (_pending != Pending.InputParts || _pendingRole != role)
        {
            Flush();
            Utf8JsonWriter writer = _json.Begin();
            writer.WriteStartObject();
            writer.WriteString("type"u8, "message"u8);
            writer.WriteString("role"u8, role);
            writer.WritePropertyName("content"u8);
            writer.WriteStartArray();
            _openPartsWriter = writer;
            _pending = Pending.InputParts;
            _pendingRole = role;
        }

        if (!InputContentPartWriter.TryWrite(_openPartsWriter!, content))
        {
            throw new InvalidOperationException($"{content.GetType().Name} is not an input part.");
        }
    }

    /// <summary>Adds an empty <c>input_text</c> user message, as the official client does for a user message with no mappable content.</summary>
    public void AddEmptyUserMessage() => AddInputPart("user", new TextContent(string.Empty));

    /// <summary>Appends system or developer text to the pending message of <paramref name="role"/>.</summary>
    public void AddSystemText(string role, string text)
    {
        Version++;
        if (_pending != Pending.SystemText || _pendingRole != role)
        {
            Flush();
            _pending = Pending.SystemText;
            _pendingRole = role;
            (_systemText ??= new()).Clear();
        }

        _systemText!.Append(text);
    }

    /// <summary>Appends assistant text; consecutive text becomes one <c>output_text</c> part of one assistant message.</summary>
    public void AddAssistantText(string text)
    {
        Version++;
        BeginAssistant();
        Assistant.AddText(text);
    }

    /// <summary>Adds a refusal part to the pending assistant message (a refusal is model output and part of the history).</summary>
    public void AddAssistantRefusal(string text)
    {
        Version++;
        BeginAssistant();
        Assistant.AddRefusal(text);
    }

    /// <summary>
    /// Adds a reasoning content. Consecutive contents of the same reasoning item merge into one item (see
    /// <see cref="PendingReasoning.Continues"/>).
    /// </summary>
    public void AddReasoning(TextReasoningContent reasoning)
    {
        Version++;
        string? id = AdditionalPropertyValues.GetString(reasoning.AdditionalProperties, ChatMessageMapper.ReasoningItemIdKey);
        if (_pending != Pending.Reasoning || !Reasoning.Continues(id))
        {
            Flush();
            _pending = Pending.Reasoning;
        }

        Reasoning.Add(reasoning, id);
    }

    /// <summary>Adds a <c>function_call</c> item for a call the model made (when the client's own raw item is not available).</summary>
    public void AddFunctionCall(FunctionCallContent call)
    {
        Version++;
        Flush();
        if (_rawCallIds?.Contains(call.CallId) == true)
        {
            return;
        }

        // Arguments go out as compact JSON text (the official client sends them indented). The scratch span stays valid
        // while the item is written: Begin() resets only the item buffer.
        ReadOnlySpan<byte> arguments = call.Arguments is null
            ? "{}"u8
            : _json.SerializeToScratch(call.Arguments, typeof(IDictionary<string, object?>));

        Utf8JsonWriter writer = _json.Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "function_call"u8);
        writer.WriteString("call_id"u8, call.CallId);
        writer.WriteString("name"u8, call.Name);
        writer.WriteString("arguments"u8, arguments);
        writer.WriteEndObject();
        _destination.Add(new InputItem(InputItemKind.FunctionCall, _json.End(), callId: call.CallId));
    }

    /// <summary>Adds an <c>mcp_approval_response</c>: the caller's answer to an MCP approval request.</summary>
    public void AddMcpApprovalResponse(ToolApprovalResponseContent response)
    {
        Version++;
        Flush();
        _destination.Add(McpItemMapper.ApprovalResponse(response, _json));
    }

    /// <summary>Adds an <c>mcp_approval_request</c> rebuilt from its content (when the model's raw item is not available).</summary>
    public void AddMcpApprovalRequest(string requestId, McpServerToolCallContent call)
    {
        Version++;
        Flush();
        if (_rawItemIds?.Contains(requestId) != true)
        {
            _destination.Add(McpItemMapper.ApprovalRequest(requestId, call, _json));
        }
    }

    /// <summary>Remembers an MCP call until its result arrives: together they are one <c>mcp_call</c> item.</summary>
    public void AddMcpCall(McpServerToolCallContent call)
    {
        Version++;
        (_mcpCalls ??= new(StringComparer.Ordinal))[call.CallId] = call;
    }

    /// <summary>Adds the <c>mcp_call</c> item of a remembered call and this result (nothing when the call is unknown).</summary>
    public void AddMcpResult(McpServerToolResultContent result)
    {
        Version++;
        if (_mcpCalls is null || !_mcpCalls.Remove(result.CallId, out McpServerToolCallContent? call))
        {
            return;
        }

        Flush();
        if (_rawItemIds?.Contains(call.CallId) != true)
        {
            _destination.Add(McpItemMapper.Call(call, result, _json));
        }
    }

    /// <summary>Adds a <c>function_call_output</c> item.</summary>
    public void AddFunctionResult(FunctionResultContent result)
    {
        Version++;
        Flush();
        _destination.Add(FunctionResultMapper.ToInputItem(result, _json));
    }

    /// <summary>
    /// Ends a chat message: closes an open message item. A pending reasoning item stays open, because one reasoning item
    /// can be split across the messages a streamed response was folded into.
    /// </summary>
    public void EndMessage()
    {
        if (_pending != Pending.Reasoning)
        {
            Flush();
        }
    }

    /// <summary>Writes whatever is pending.</summary>
    public void Flush()
    {
        switch (_pending)
        {
            case Pending.InputParts:
                FlushInputParts();
                break;
            case Pending.SystemText:
                FlushSystemText();
                break;
            case Pending.AssistantParts:
                AddBuilt(Assistant.Build(_json));
                break;
            case Pending.Reasoning:
                // Skipped when the verbatim item with this id was already sent.
                AddBuilt(Reasoning.Id is { } id && _rawItemIds?.Contains(id) == true ? DiscardReasoning() : Reasoning.Build(_json));
                break;
        }

        _pending = Pending.None;
    }

    public void Dispose() => _json.Dispose();

    private PendingAssistantMessage Assistant => _assistant ??= new();

    private PendingReasoning Reasoning => _reasoning ??= new();

    private void FlushInputParts()
    {
        Utf8JsonWriter writer = _openPartsWriter!;
        writer.WriteEndArray();
        writer.WriteEndObject();
        _openPartsWriter = null;
        _destination.Add(new InputItem(InputItemKind.Message, _json.End(), role: _pendingRole));
    }

    private void FlushSystemText()
    {
        string text = _systemText!.ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            // Matches the official client: an empty system message carries nothing and only costs tokens.
            return;
        }

        Utf8JsonWriter writer = _json.Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "message"u8);
        writer.WriteString("role"u8, _pendingRole);
        writer.WritePropertyName("content"u8);
        writer.WriteStartArray();
        InputContentPartWriter.WriteInputText(writer, text);
        writer.WriteEndArray();
        writer.WriteEndObject();
        _destination.Add(new InputItem(InputItemKind.Message, _json.End(), role: _pendingRole));
    }

    private void BeginAssistant()
    {
        if (_pending != Pending.AssistantParts)
        {
            Flush();
            _pending = Pending.AssistantParts;
            Assistant.Clear();
        }
    }

    private InputItem? DiscardReasoning()
    {
        Reasoning.Clear();
        return null;
    }

    private void AddBuilt(InputItem? item)
    {
        if (item is not null)
        {
            _destination.Add(item);
        }
    }
}
