namespace ResponsesWebSocket.Testing;

/// <summary>Where in the server's flow a queued fault is consumed.</summary>
internal enum FaultPoint
{
    /// <summary>A WebSocket upgrade request.</summary>
    Handshake,

    /// <summary>An HTTP POST, recorded but not yet parsed: a rejection here answers before any event.</summary>
    HttpRequest,

    /// <summary>A parsed create request, before its context is resolved.</summary>
    Create,

    /// <summary>A response about to be generated and delivered.</summary>
    Response,
}
