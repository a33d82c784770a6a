using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>A raw <see cref="ClientWebSocket"/>/<see cref="HttpClient"/> view of the local server, for server-level tests. Every wait is bounded.</summary>
internal static class WireClient
{
    private static readonly HashSet<string> Terminals = ["response.completed", "response.incomplete", "response.failed", "error"];

    public static string ResponsesUrl(LocalResponsesServer server) => server.BaseUri + "/responses";

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>Turns <c>{"a":1}</c> into <c>{"type":"response.create","a":1}</c>.</summary>
    public static string Create(string fields) => """{"type":"response.create",""" + fields.TrimStart()[1..];

    public static string Type(JsonElement e) => e.GetProperty("type").GetString()!;

    public static string ResponseId(JsonElement terminal) => terminal.GetProperty("response").GetProperty("id").GetString()!;

    public static JsonElement ErrorOf(JsonElement errorEvent) => errorEvent.GetProperty("error");

    public static string FinalText(IReadOnlyList<JsonElement> events) =>
        events[^1].GetProperty("response").GetProperty("output").EnumerateArray()
            .Single(item => item.GetProperty("type").GetString() == "message")
            .GetProperty("content")[0].GetProperty("text").GetString()!;

    /// <summary>POSTs a body and returns the status with the parsed JSON body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(LocalResponsesServer server, string json)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(ResponsesUrl(server), Json(json)).Bounded();
        return (response.StatusCode, JsonElement.Parse(await response.Content.ReadAsStringAsync()));
    }

    public static async Task<ClientWebSocket> ConnectAsync(LocalResponsesServer server)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).Bounded();
        return socket;
    }

    public static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).Bounded();

    /// <summary>Receives one whole message as it came off the wire.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveMessageAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).Bounded();
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        var (type, bytes) = await ReceiveMessageAsync(socket);
        type.Should().Be(WebSocketMessageType.Text);
        return JsonElement.Parse(bytes);
    }

    /// <summary>Reads events up to and including the first terminal one (<c>error</c> included).</summary>
    public static async Task<List<JsonElement>> ReadResponseAsync(ClientWebSocket socket)
    {
        var events = new List<JsonElement>();
        while (true)
        {
            var next = await ReceiveAsync(socket);
            events.Add(next);
            if (Terminals.Contains(Type(next)))
            {
                return events;
            }
        }
    }
}
