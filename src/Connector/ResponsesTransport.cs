namespace ResponsesWebSocket;

/// <summary>Which transport the client sends responses over. See <see cref="ResponsesWebSocketChatClientOptions.Transport"/>.</summary>
public enum ResponsesTransport
{
    /// <summary>
    /// WebSocket mode, falling back to HTTP with server-sent events when the service (or a proxy) refuses the upgrade with
    /// 426, 404 or 405; the client then stays on HTTP for <see cref="ResponsesWebSocketChatClientOptions.HttpFallbackDuration"/>
    /// before trying WebSocket mode again. The default.
    /// </summary>
    Auto = 0,

    /// <summary>WebSocket mode only: a refused upgrade surfaces as <see cref="ResponsesErrorKind.HandshakeRejected"/>.</summary>
    WebSocket,

    /// <summary>
    /// HTTP with server-sent events only (<c>POST /responses</c>, <c>stream: true</c>). No connection-local cache: with
    /// <c>store=false</c> every turn is a full create from the client's transcript; with <c>store=true</c> turns chain by id.
    /// </summary>
    Http,
}
