using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>A bare <see cref="ClientWebSocket"/> speaking JSON text messages, for protocol features the library client does not use (lanes).</summary>
internal sealed class RawSocket : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly HashSet<string> Terminals = ["response.completed", "response.incomplete", "response.failed", "error"];

    private readonly ClientWebSocket _socket = new();

    private RawSocket()
    {
    }

    public static async Task<RawSocket> ConnectAsync(LocalResponsesServer server)
    {
        var raw = new RawSocket();
        await raw._socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).WaitAsync(Timeout);
        return raw;
    }

    public static bool IsTerminal(JsonElement e) => Terminals.Contains(Type(e));

    public static string Type(JsonElement e) => e.GetProperty("type").GetString()!;

    /// <summary>The event's <c>stream_id</c>, or <see langword="null"/> when it has none.</summary>
    public static string? StreamId(JsonElement e) => e.TryGetProperty("stream_id", out var id) ? id.GetString() : null;

    public static string ResponseId(JsonElement e) => e.GetProperty("response").GetProperty("id").GetString()!;

    public static string? ErrorCode(JsonElement e) => e.GetProperty("error").GetProperty("code").GetString();

    /// <summary>A <c>response.create</c> with these extra top-level fields (a JSON object's text).</summary>
    public static string Create(string fields) => """{"type":"response.create",""" + fields.TrimStart()[1..];

    public Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);

    public async Task<JsonElement> ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            if (result.MessageType != WebSocketMessageType.Text)
            {
                throw new InvalidOperationException($"Expected a text message, got {result.MessageType}.");
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonElement.Parse(message.ToArray());
            }
        }
    }

    /// <summary>Reads events until one terminal event per listed lane (<see langword="null"/> is the default lane) has arrived.</summary>
    public async Task<List<JsonElement>> ReadUntilTerminalsAsync(params string?[] lanes)
    {
        var pending = lanes.ToList();
        var events = new List<JsonElement>();
        while (pending.Count > 0)
        {
            var next = await ReceiveAsync();
            events.Add(next);
            if (IsTerminal(next))
            {
                pending.Remove(StreamId(next));
            }
        }

        return events;
    }

    public void Dispose() => _socket.Dispose();
}
