using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Sends each event as one WebSocket text message, with no SSE framing. <c>beforeEnding</c> runs before a drop or a
/// server-initiated close, so the server's bookkeeping is updated before the client can observe the end.
/// </summary>
internal sealed class WebSocketEventSink(WebSocket socket, HttpContext context, Action beforeEnding) : IEventSink
{
    // Sends take CancellationToken.None: cancelling a WebSocket send aborts the socket, so the delivery loop
    // checks for cancellation between messages instead.
    public ValueTask SendEventAsync(ResponseEvent responseEvent, CancellationToken cancellationToken) =>
        socket.SendAsync(
            responseEvent.Payload.AsMemory(),
            responseEvent.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text,
            endOfMessage: true,
            CancellationToken.None);

    public ValueTask SendRawTextAsync(string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text).AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    public ValueTask SendBinaryAsync(byte[] data, CancellationToken cancellationToken) =>
        socket.SendAsync(data.AsMemory(), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

    public async ValueTask CloseAsync(WebSocketCloseStatus status, string? description)
    {
        beforeEnding();
        await socket.CloseOutputAsync(status, description, CancellationToken.None).ConfigureAwait(false);
    }

    public void Drop()
    {
        beforeEnding();
        ConnectionDropper.Drop(context);
    }
}
