using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>
/// NOT A USABLE CLIENT. The physical floor for exactly the scenario loop: one WebSocket, every frame written into one
/// reused buffer, only <c>type</c> read from each event (plus the few fields the loop needs from the function-call
/// item and the terminal), no transcript, no recovery, no reconnect, no error handling, no concurrency, no options
/// beyond the tools and the conversation id. It exists so the report can show how far a real client is from the limit.
/// </summary>
internal sealed class FloorChatClient(Uri webSocketUri, string model) : IChatClient
{
    private readonly ArrayBufferWriter<byte> _send = new(8192);
    private readonly Utf8JsonWriter _writer = new(Stream.Null);
    private byte[] _receive = new byte[16384];
    private ClientWebSocket? _socket;
    private byte[]? _toolsJson;

    /// <summary>Gets how many sockets the floor opened.</summary>
    public int SocketsOpened { get; private set; }

    /// <summary>Gets the payload bytes of every frame sent.</summary>
    public long BytesUploaded { get; private set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var contents = new List<AIContent>();
        string? responseId = null;
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            contents.AddRange(update.Contents);
            responseId = update.ResponseId ?? responseId;
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents)) { ResponseId = responseId, ConversationId = responseId };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_socket is null)
        {
            _socket = new ClientWebSocket();
            await _socket.ConnectAsync(webSocketUri, cancellationToken).ConfigureAwait(false);
            SocketsOpened++;
        }

        WriteCreate(messages, options);
        BytesUploaded += _send.WrittenCount;
        await _socket.SendAsync(_send.WrittenMemory, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);

        while (true)
        {
            var length = await ReceiveMessageAsync(cancellationToken).ConfigureAwait(false);
            var frame = _receive.AsMemory(0, length);
            switch (ReadType(frame.Span))
            {
                case EventType.TextDelta:
                    yield return new ChatResponseUpdate(ChatRole.Assistant, ReadString(frame.Span, "delta"u8));
                    break;
                case EventType.ItemDone:
                    if (ReadFunctionCall(frame.Span) is { } call)
                    {
                        yield return new ChatResponseUpdate(ChatRole.Assistant, [call]);
                    }

                    break;
                case EventType.Completed:
                    var id = ReadResponseId(frame.Span);
                    yield return new ChatResponseUpdate { ResponseId = id, ConversationId = id, FinishReason = ChatFinishReason.Stop };
                    yield break;
                case EventType.Failed:
                    throw new InvalidOperationException("floor: " + Encoding.UTF8.GetString(frame.Span));
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
        _socket?.Abort();
        _socket?.Dispose();
        _writer.Dispose();
    }

    private void WriteCreate(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        _toolsJson ??= WriteTools(options);
        _send.ResetWrittenCount();
        _writer.Reset(_send);
        _writer.WriteStartObject();
        _writer.WriteString("type"u8, "response.create"u8);
        _writer.WriteString("model"u8, model);
        _writer.WriteBoolean("store"u8, false);
        if (options?.ConversationId is { } previous) _writer.WriteString("previous_response_id"u8, previous);
        _writer.WriteStartArray("input"u8);
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent text:
                        _writer.WriteStartObject();
                        _writer.WriteString("role"u8, "user"u8);
                        _writer.WriteString("content"u8, text.Text);
                        _writer.WriteEndObject();
                        break;
                    case FunctionResultContent result:
                        _writer.WriteStartObject();
                        _writer.WriteString("type"u8, "function_call_output"u8);
                        _writer.WriteString("call_id"u8, result.CallId);
                        _writer.WriteString("output"u8, result.Result switch
                        {
                            string s => s,
                            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
                            var other => JsonSerializer.Serialize(other, AIJsonUtilities.DefaultOptions),
                        });
                        _writer.WriteEndObject();
                        break;
                }
            }
        }

        _writer.WriteEndArray();
        _writer.WritePropertyName("tools"u8);
        _writer.WriteRawValue(_toolsJson, skipInputValidation: true);
        _writer.WriteEndObject();
        _writer.Flush();
    }

    private static byte[] WriteTools(ChatOptions? options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartArray();
        foreach (var tool in options?.Tools?.OfType<AIFunctionDeclaration>() ?? [])
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteString("name"u8, tool.Name);
            writer.WritePropertyName("parameters"u8);
            tool.JsonSchema.WriteTo(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private async ValueTask<int> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _receive.Length) Array.Resize(ref _receive, _receive.Length * 2);
            var result = await _socket!.ReceiveAsync(_receive.AsMemory(length), cancellationToken).ConfigureAwait(false);
            length += result.Count;
            if (result.EndOfMessage) return length;
        }
    }

    private enum EventType
    {
        Other,
        TextDelta,
        ItemDone,
        Completed,
        Failed,
    }

    /// <summary>Reads only the <c>type</c> property (the server writes it first).</summary>
    private static EventType ReadType(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (!isType)
            {
                reader.Skip();
                continue;
            }

            return reader.ValueSpan switch
            {
                var t when t.SequenceEqual("response.output_text.delta"u8) => EventType.TextDelta,
                var t when t.SequenceEqual("response.output_item.done"u8) => EventType.ItemDone,
                var t when t.SequenceEqual("response.completed"u8) => EventType.Completed,
                var t when t.SequenceEqual("response.failed"u8) || t.SequenceEqual("error"u8) => EventType.Failed,
                _ => EventType.Other,
            };
        }

        return EventType.Other;
    }

    private static string ReadString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals(name))
            {
                reader.Read();
                return reader.GetString()!;
            }
        }

        return "";
    }

    private static FunctionCallContent? ReadFunctionCall(ReadOnlySpan<byte> json)
    {
        // The item's own properties sit at depth 2 (root → "item" → property).
        string? type = null, callId = null, name = null, arguments = null;
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 2) continue;
            if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = reader.GetString(); }
            else if (reader.ValueTextEquals("call_id"u8)) { reader.Read(); callId = reader.GetString(); }
            else if (reader.ValueTextEquals("name"u8)) { reader.Read(); name = reader.GetString(); }
            else if (reader.ValueTextEquals("arguments"u8)) { reader.Read(); arguments = reader.GetString(); }
        }

        if (type != "function_call") return null;
        var parsed = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments!, AIJsonUtilities.DefaultOptions);
        return new FunctionCallContent(callId!, name!, parsed);
    }

    private static string ReadResponseId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2 && reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                return reader.GetString()!;
            }
        }

        throw new InvalidOperationException("floor: no response id");
    }
}
