using System.Net.WebSockets;

namespace ResponsesWebSocket.Testing;

/// <summary>Where a response's events go: a WebSocket, an SSE stream, or nowhere (non-streaming HTTP).</summary>
internal interface IEventSink
{
    ValueTask SendEventAsync(ResponseEvent responseEvent, CancellationToken cancellationToken);

    /// <summary>Sends text that is not a well-formed event (fault injection).</summary>
    ValueTask SendRawTextAsync(string text, CancellationToken cancellationToken);

    ValueTask SendBinaryAsync(byte[] data, CancellationToken cancellationToken);

    /// <summary>Ends the conversation politely: a WebSocket close handshake, or the end of the HTTP body.</summary>
    ValueTask CloseAsync(WebSocketCloseStatus status, string? description);

    /// <summary>Ends the connection abruptly, with no close handshake (see <see cref="ConnectionDropper"/>).</summary>
    void Drop();
}
