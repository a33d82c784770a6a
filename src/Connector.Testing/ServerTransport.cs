namespace ResponsesWebSocket.Testing;

/// <summary>The transport a request arrived on.</summary>
internal enum ServerTransport
{
    WebSocket,
    Http,
}
