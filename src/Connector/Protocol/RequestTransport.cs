namespace ResponsesWebSocket.Protocol;

/// <summary>
/// Which transport a <see cref="CreateRequest"/> is written for. The two share one body but differ in the envelope:
/// WebSocket frames carry <c>"type":"response.create"</c> and may carry <c>generate</c>; the HTTP body must ask for
/// <c>"stream":true</c> and must never carry <c>generate</c> (the HTTP endpoint rejects it with 400).
/// </summary>
internal enum RequestTransport
{
    /// <summary>A <c>response.create</c> message on the WebSocket.</summary>
    WebSocket,

    /// <summary>A <c>POST /v1/responses</c> body for the HTTP + SSE fallback.</summary>
    Http,
}
