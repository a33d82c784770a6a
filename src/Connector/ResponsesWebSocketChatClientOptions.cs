namespace ResponsesWebSocket;

/// <summary>
/// Options for <see cref="ResponsesWebSocketChatClient"/>.
/// </summary>
public sealed class ResponsesWebSocketChatClientOptions
{
    /// <summary>The default HTTP base URL of the OpenAI API.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.openai.com/v1");

    /// <summary>
    /// Gets or sets the HTTP base URL of the API (default <c>https://api.openai.com/v1</c>).
    /// The WebSocket URL is derived from it: <c>https</c>→<c>wss</c>, <c>http</c>→<c>ws</c>, and <c>/responses</c> appended
    /// (unless the path already ends in <c>/responses</c>). A query string is kept; in logs, messages and metadata its
    /// values (except <c>api-version</c>) and any user info are redacted.
    /// </summary>
    public Uri Endpoint { get; set; } = DefaultEndpoint;

    /// <summary>
    /// Gets or sets an explicit WebSocket URL (<c>ws://</c> or <c>wss://</c>) that overrides the one derived from <see cref="Endpoint"/>.
    /// </summary>
    public Uri? WebSocketEndpoint { get; set; }

    /// <summary>
    /// Gets or sets the API key sent as <c>Authorization: Bearer</c> on the WebSocket upgrade.
    /// Required unless the endpoint is a loopback address.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the default model id, used when <c>ChatOptions.ModelId</c> is not set.</summary>
    public string? Model { get; set; }

    /// <summary>Gets or sets the <c>OpenAI-Organization</c> header sent on the upgrade, if any.</summary>
    public string? Organization { get; set; }

    /// <summary>Gets or sets the <c>OpenAI-Project</c> header sent on the upgrade, if any.</summary>
    public string? Project { get; set; }

    /// <summary>
    /// Gets or sets whether responses are stored by the service (<c>store</c>). Default <see langword="false"/>:
    /// zero data retention, with continuation served from the connection-local cache.
    /// <c>ChatOptions.AdditionalProperties["store"]</c> overrides it per call.
    /// </summary>
    public bool Store { get; set; }

    /// <summary>Gets or sets how long the WebSocket handshake may take before it fails (default 15 seconds).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets the WebSocket keep-alive ping interval (default 20 seconds). <see cref="TimeSpan.Zero"/> disables keep-alive.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Gets or sets how long to wait for a pong before the socket is considered dead (default 15 seconds).
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Gets or sets how long a socket is used before it is replaced, ahead of the service's 60-minute limit (default 55 minutes).
    /// The check happens before a request is sent, never in the middle of a response.
    /// </summary>
    public TimeSpan MaxConnectionAge { get; set; } = TimeSpan.FromMinutes(55);

    /// <summary>
    /// Gets or sets how many WebSockets the client keeps at most (default 4). Each active conversation keeps its chain on its
    /// own socket; beyond this many concurrent conversations, the least recently used one loses its connection-local cache
    /// and its next turn is sent as a full create (transparently). Calls beyond this many at the same moment wait.
    /// </summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>
    /// Gets or sets how many responses (conversation states) the client tracks for continuation (default 1000).
    /// The least recently used are forgotten first. See <see cref="TranscriptIdleTimeout"/> for what forgetting means.
    /// </summary>
    public int MaxTrackedResponses { get; set; } = 1000;

    /// <summary>
    /// Gets or sets how long an unused conversation state is kept (default 1 hour). A forgotten conversation can still be
    /// continued by resending its full history; continuing it by <c>ConversationId</c> alone fails with
    /// <see cref="ResponsesErrorKind.UnknownConversation"/> when responses are not stored.
    /// </summary>
    public TimeSpan TranscriptIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets when responses report a <c>ConversationId</c> (default <see cref="ConversationIdMode.Auto"/>).
    /// The id is the latest response id, also with <c>store=false</c>: continuing with it sends only the new messages.
    /// </summary>
    public ConversationIdMode ConversationIdMode { get; set; } = ConversationIdMode.Auto;

    /// <summary>
    /// Gets or sets the longest time a response in flight may go without any event from the server (default 5 minutes:
    /// a reasoning model can think for minutes before its first output event). When it passes, the socket is aborted and
    /// the call ends with a <see cref="ResponsesException"/> of kind <see cref="ResponsesErrorKind.ResponseTimeout"/>
    /// (<see cref="ResponsesException.IsTransient"/> is true); the next call opens a new socket.
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables the check.
    /// </summary>
    public TimeSpan ResponseIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Gets or sets when requests ask for <c>reasoning.encrypted_content</c> (default <see cref="EncryptedReasoningMode.Auto"/>:
    /// with <c>store=false</c>, falling back transparently for models that reject it). Without it, reasoning items cannot be
    /// resent with <c>store=false</c>, so a rebuilt chain would lose them.
    /// </summary>
    public EncryptedReasoningMode EncryptedReasoning { get; set; } = EncryptedReasoningMode.Auto;

    /// <summary>
    /// Gets or sets a callback invoked for every <c>response.create</c> frame sent: chained or full, items and bytes sent,
    /// and what a full-history resend would have cost. Measuring that last figure costs one extra serialization, so it is
    /// only done while a callback is set. Called on the request path: keep it fast.
    /// </summary>
    public Action<ResponsesRequestInfo>? RequestSent { get; set; }

    /// <summary>
    /// The time provider used for timestamps and socket age. Tests substitute a fake clock. An internal field, not a public
    /// property: it is a test seam, and the source-generated configuration binder would try (and fail) to bind a property.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "Reads like the property it replaced.")]
    internal TimeProvider TimeProvider = TimeProvider.System;

    /// <summary>
    /// Gets or sets whether a missing key is accepted for a non-loopback endpoint (default <see langword="false"/>): for
    /// keyless gateways on private hosts, or when authentication is added by <see cref="AdditionalHeaders"/> or
    /// <see cref="ConfigureWebSocket"/>.
    /// </summary>
    public bool AllowNoApiKey { get; set; }

    /// <summary>
    /// Gets or sets which header carries the key (default <see cref="ApiKeyHeader.Authorization"/>, <c>Authorization: Bearer</c>).
    /// Azure OpenAI keys use <see cref="ApiKeyHeader.ApiKey"/>; Microsoft Entra ID tokens use the default with
    /// <see cref="TokenProvider"/>.
    /// </summary>
    public ApiKeyHeader ApiKeyHeader { get; set; }

    /// <summary>
    /// Gets extra headers sent on every WebSocket upgrade (gateway routing, tenant ids, …). A <c>User-Agent</c> given here
    /// replaces the default one, which names this library and its version.
    /// </summary>
    public IDictionary<string, string> AdditionalHeaders => _additionalHeaders;

    private Dictionary<string, string> _additionalHeaders = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets an asynchronous source of the key or bearer token, called before every WebSocket handshake, so that
    /// rotated keys and short-lived tokens (Microsoft Entra ID) are picked up by the next connection. When set,
    /// <see cref="ApiKey"/> is not used. Not bindable from configuration.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; set; }

    /// <summary>
    /// Gets or sets a hook called on every new socket's <see cref="System.Net.WebSockets.ClientWebSocketOptions"/> after the
    /// client has set its own headers (sub-protocols, extra headers, buffer sizes). Proxy, credentials and client
    /// certificates belong on <see cref="ConfigureHttpHandler"/>: the upgrade goes through that handler. Not bindable from configuration.
    /// </summary>
    public Action<System.Net.WebSockets.ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    /// <summary>
    /// Gets or sets a hook called once on the <see cref="System.Net.Http.SocketsHttpHandler"/> that carries every upgrade:
    /// proxy, client certificates, TLS options. Not bindable from configuration.
    /// </summary>
    public Action<System.Net.Http.SocketsHttpHandler>? ConfigureHttpHandler { get; set; }

    /// <summary>
    /// Gets or sets which transport responses go over (default <see cref="ResponsesTransport.Auto"/>: WebSocket mode, falling
    /// back to HTTP with server-sent events when the upgrade is refused with 426, 404 or 405).
    /// </summary>
    public ResponsesTransport Transport { get; set; } = ResponsesTransport.Auto;

    /// <summary>
    /// Gets or sets how long an <see cref="ResponsesTransport.Auto"/> client stays on HTTP after WebSocket mode was refused,
    /// before its next new channel tries WebSocket mode again (default 10 minutes).
    /// </summary>
    public TimeSpan HttpFallbackDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets where transcripts are kept beyond this process, or <see langword="null"/> (the default) to keep them
    /// only in memory. With <c>store=false</c> the client's transcript is the only copy of a conversation; a shared store
    /// (<see cref="DistributedTranscriptStore"/> over Redis) lets a conversation continue after a restart or on another
    /// node. The in-memory transcripts stay in front of it as a read-through cache.
    /// </summary>
    public ITranscriptStore? TranscriptStore { get; set; }

    /// <summary>
    /// Gets or sets the default conversation scope (for example a tenant or user id): a transcript is continued, and a
    /// resent history matched, only by a call of the same scope. A call's own scope comes from
    /// <c>ChatOptions.AdditionalProperties["conversation_scope"]</c>, else its <c>safety_identifier</c> or <c>user</c>;
    /// when none is set this value applies. <see langword="null"/> (the default) is one scope shared by every call: a
    /// multi-user application should set a scope per user.
    /// </summary>
    public string? ConversationScope { get; set; }

    /// <summary>The default <see cref="MaxMessageSize"/>: 8 MiB.</summary>
    public const int DefaultMaxMessageSize = global::ResponsesWebSocket.Transport.TransportSettings.DefaultMaxMessageSize;

    /// <summary>
    /// Gets or sets the largest WebSocket message (one server event) the client accepts, in bytes (default 8 MiB).
    /// Enforced while receiving: a larger message fails the call with <see cref="ResponsesErrorKind.ProtocolViolation"/>
    /// and the socket is aborted, so a misbehaving server cannot make the client buffer without bound. The largest events
    /// are <c>response.completed</c> (the whole output again) and image-generation items; raise it for big images.
    /// It must lie between 1 KiB and <see cref="Array.MaxLength"/>.
    /// </summary>
    public int MaxMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// Gets or sets whether the client may use an unencrypted (<c>http://</c> / <c>ws://</c>) endpoint that is not on this
    /// machine. Default <see langword="false"/>: such an endpoint is refused at construction, because the API key
    /// (<c>Authorization: Bearer</c>) and every prompt and output would cross the network in clear text. Loopback
    /// endpoints are always allowed. Set it only for a network path you trust end to end (for example a sidecar proxy
    /// reached over a private link that does its own encryption).
    /// </summary>
    public bool DangerouslyAllowUnencryptedRemoteEndpoint { get; set; }

    /// <summary>
    /// Gets or sets the policy that decides whether, and after how long, a failed attempt to reach the service is retried
    /// (an upgrade answered 408, 429 or 5xx, or a network error). <see langword="null"/> (the default) means a default
    /// <see cref="ExponentialBackoffRetryPolicy"/>: up to 3 retries, 250 ms doubling with jitter, the server's
    /// <c>Retry-After</c> honoured, within 20 seconds. 401/403, timeouts and failures after output was surfaced are never
    /// retried, whatever the policy. To turn retries off, use a policy whose <see cref="IResponsesRetryPolicy.NextRetryDelay"/>
    /// returns <see langword="null"/> (or an <see cref="ExponentialBackoffRetryPolicy"/> with <c>MaxRetries = 0</c>).
    /// Not bindable from configuration.
    /// </summary>
    public IResponsesRetryPolicy? RetryPolicy { get; set; }

    /// <summary>Copies the options so that later changes by the caller do not affect a running client.</summary>
    internal ResponsesWebSocketChatClientOptions Clone()
    {
        var copy = (ResponsesWebSocketChatClientOptions)MemberwiseClone();

        // MemberwiseClone would share the dictionary with the caller.
        copy._additionalHeaders = new Dictionary<string, string>(_additionalHeaders, StringComparer.OrdinalIgnoreCase);

        // The default policy's settings are mutable: a copy keeps the client on what it was configured with. A custom
        // policy is the caller's own object and is shared, like the delegates.
        if (RetryPolicy is ExponentialBackoffRetryPolicy backoff) copy.RetryPolicy = backoff.Clone();
        return copy;
    }
}
