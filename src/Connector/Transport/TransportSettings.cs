namespace ResponsesWebSocket.Transport;

/// <summary>
/// What the transport needs to open channels and run responses, and nothing else: endpoints, credentials, headers,
/// timeouts and limits. Built once per client from its options (the transport never sees the public options type).
/// </summary>
internal sealed class TransportSettings
{
    /// <summary>Gets the WebSocket URL of <c>/responses</c>.</summary>
    public required Uri WebSocketUri { get; init; }

    /// <summary>Gets the HTTP URL of <c>/responses</c> (the HTTP/SSE transport).</summary>
    public required Uri HttpUri { get; init; }

    /// <summary>Gets which transport to use.</summary>
    public ResponsesTransport Mode { get; init; } = ResponsesTransport.Auto;

    /// <summary>Gets how long an <see cref="ResponsesTransport.Auto"/> client stays on HTTP after WebSocket mode was refused.</summary>
    public TimeSpan HttpFallbackDuration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets the static API key, when no token provider is set.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Gets the token provider, asked once per handshake or HTTP request.</summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; init; }

    /// <summary>Gets whether the credential goes in an <c>api-key</c> header (Azure) instead of <c>Authorization: Bearer</c>.</summary>
    public bool UseApiKeyHeader { get; init; }

    /// <summary>Gets the <c>OpenAI-Organization</c> header value.</summary>
    public string? Organization { get; init; }

    /// <summary>Gets the <c>OpenAI-Project</c> header value.</summary>
    public string? Project { get; init; }

    /// <summary>Gets extra headers sent with every handshake and HTTP request.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AdditionalHeaders { get; init; } = [];

    /// <summary>Gets the caller's last word on each WebSocket's options.</summary>
    public Action<System.Net.WebSockets.ClientWebSocketOptions>? ConfigureWebSocket { get; init; }

    /// <summary>Gets the caller's hook on the one handler shared by handshakes and HTTP requests.</summary>
    public Action<System.Net.Http.SocketsHttpHandler>? ConfigureHttpHandler { get; init; }

    /// <summary>Gets the longest a handshake (or an HTTP request until its response headers) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the WebSocket keep-alive interval.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets how long a keep-alive ping may go unanswered.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the age at which a socket is replaced before its next turn.</summary>
    public TimeSpan MaxConnectionAge { get; init; } = TimeSpan.FromMinutes(55);

    /// <summary>Gets the longest silence a response in flight may have, or infinite.</summary>
    public TimeSpan ResponseIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the largest server message (WebSocket message or SSE event) accepted.</summary>
    public int MaxMessageSize { get; init; } = DefaultMaxMessageSize;

    /// <summary>Gets the clock for ages, timeouts and retry delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets when a refused handshake or HTTP request (408, 429, 5xx, network error) is tried again.</summary>
    public IResponsesRetryPolicy RetryPolicy { get; init; } = new ExponentialBackoffRetryPolicy();

    /// <summary>
    /// The object name of the <see cref="ObjectDisposedException"/>s the transport throws once the client is disposed:
    /// named, not typed, because the transport knows nothing of the client that owns it.
    /// </summary>
    public const string OwnerName = "ResponsesWebSocket.ResponsesWebSocketChatClient";

    /// <summary>The default <see cref="MaxMessageSize"/>: 8 MiB.</summary>
    public const int DefaultMaxMessageSize = 8 * 1024 * 1024;
}
