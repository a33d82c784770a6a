namespace ResponsesWebSocket;

/// <summary>What went wrong, as far as the client can tell. Carried by <see cref="ResponsesException.Kind"/>.</summary>
public enum ResponsesErrorKind
{
    /// <summary>Not set: the default value, never produced by the client.</summary>
    Unknown = 0,

    /// <summary>The service answered the request with an <c>error</c> event (invalid request, rate limit, …).</summary>
    ServiceError,

    /// <summary>The response ended with <c>response.failed</c> (a model-side failure).</summary>
    ResponseFailed,

    /// <summary>The WebSocket upgrade was rejected with an HTTP status (401, 403, 404, 426, 429, 5xx, …).</summary>
    HandshakeRejected,

    /// <summary>The connection could not be opened (DNS, TCP, TLS, timeout).</summary>
    ConnectionFailed,

    /// <summary>The connection closed or broke before the response finished.</summary>
    ConnectionClosed,

    /// <summary>The server sent something the protocol does not allow (malformed JSON, a binary message).</summary>
    ProtocolViolation,

    /// <summary>
    /// <c>ChatOptions.ConversationId</c> names a conversation this client does not know (never seen, or evicted) and
    /// responses are not stored, so there is no history to continue from.
    /// </summary>
    UnknownConversation,

    /// <summary>
    /// A response in flight went longer than <see cref="ResponsesWebSocketChatClientOptions.ResponseIdleTimeout"/> without
    /// any event from the server (a stalled server or proxy). The socket was aborted; the next call opens a new one.
    /// </summary>
    ResponseTimeout,
}
