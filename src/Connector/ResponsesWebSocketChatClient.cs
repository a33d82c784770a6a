using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket;

/// <summary>
/// An <see cref="IChatClient"/> that talks to the OpenAI Responses API over WebSockets (WebSocket mode), sending each
/// conversation's turns chained: <c>previous_response_id</c> plus only the new items, on the socket that caches them.
/// </summary>
/// <remarks>
/// <para>Sockets are opened lazily from a pool of at most <see cref="ResponsesWebSocketChatClientOptions.MaxConnections"/>
/// and reused. One response is in flight per socket; a call that needs a busy socket waits for it, never interleaving
/// with the response in flight. Each conversation keeps its own socket while the pool has room.</para>
/// <para>Every response and update carries <see cref="ChatResponse.ConversationId"/> = the latest response id (see
/// <see cref="ConversationIdMode"/>). A call continues a conversation either by that id (with only the new messages) or by
/// resending the history, which is matched by content; a broken chain is recovered with a full create from the
/// client's own transcript.</para>
/// <para>Errors: an <c>error</c> event or <c>response.failed</c> throws <see cref="ResponsesException"/>. When output of
/// that response had already been streamed, the stream first yields an update carrying an <see cref="ErrorContent"/>,
/// then throws; <see cref="ResponsesException.OutputSurfaced"/> tells the two cases apart.</para>
/// <para>Cancelling a call, or abandoning a stream before it ends, aborts the socket (the protocol has no cancel); the
/// next call opens a new one, so no event of the abandoned response can leak into it.</para>
/// </remarks>
public sealed class ResponsesWebSocketChatClient : IChatClient, IAsyncDisposable
{
    private readonly ResponsesWebSocketChatClientOptions _options;
    private readonly ChatClientMetadata _metadata;
    private readonly ILogger _logger;
    private readonly WebSocketConnector _connector;
    private readonly ConnectionPool _pool;
    private readonly TranscriptStore _transcripts;
    private readonly TurnRunner _runner;
    private bool _disposed;

    /// <summary>Initializes a new client.</summary>
    /// <param name="options">Endpoint, key, model and transport settings. They are copied: later changes have no effect.</param>
    /// <param name="loggerFactory">Where connection lifecycle and errors are logged; never prompts or outputs.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The endpoint is not an absolute http(s)/ws(s) URL; no API key was given for a non-loopback endpoint; the endpoint is
    /// unencrypted and not loopback (see <see cref="ResponsesWebSocketChatClientOptions.DangerouslyAllowUnencryptedRemoteEndpoint"/>);
    /// the key, organization or project holds a control character; or a limit is out of range.
    /// </exception>
    public ResponsesWebSocketChatClient(ResponsesWebSocketChatClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = ValidateAndCopy(options);
        WebSocketUri = _options.WebSocketEndpoint ?? WebSocketEndpoint.FromHttpBase(_options.Endpoint);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ResponsesWebSocketChatClient>();
        _metadata = new ChatClientMetadata("openai", UriRedaction.RedactUri(_options.Endpoint), _options.Model);
        _connector = new WebSocketConnector(WebSocketUri, _options, _logger);
        _pool = new ConnectionPool(_options.MaxConnections);
        _transcripts = new TranscriptStore(_options.MaxTrackedResponses, _options.TranscriptIdleTimeout, _options.TimeProvider);
        _runner = new TurnRunner(_options, _connector, _pool, _transcripts, _logger);
    }

    /// <summary>Gets the WebSocket URL the client connects to.</summary>
    public Uri WebSocketUri { get; }

    /// <summary>Gets how many WebSocket connections this client has opened so far (handshakes that succeeded).</summary>
    public int ConnectionsOpened => _connector.ConnectionsOpened;

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Map and plan eagerly: the caller may mutate its message list as soon as this returns (FunctionInvokingChatClient
        // does), and invalid input should fail at the call, not at the first MoveNextAsync.
        var (plan, request) = Plan(messages, options);
        return _runner.RunAsync(plan, request, cancellationToken);
    }

    /// <summary>
    /// Prepares a conversation without generating output: sends <c>generate: false</c> with the tools, instructions and
    /// messages, so that the next turn starts faster. Returns the warmup's response id: pass it as
    /// <see cref="ChatOptions.ConversationId"/> with only the new messages, or resend the same messages plus new ones
    /// without an id; either way the next turn is chained from the warmup.
    /// </summary>
    /// <param name="messages">The history known ahead of the first turn (for example the system prompt).</param>
    /// <param name="options">The same options the following turns will use (model, instructions, tools).</param>
    /// <param name="cancellationToken">Cancels the warmup.</param>
    /// <returns>The conversation id to continue from.</returns>
    /// <exception cref="ResponsesException">The service rejected the warmup, or the connection failed.</exception>
    public async Task<string> WarmupAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (plan, request) = Plan(messages, options);
        request.Generate = false;
        string? responseId = null;
        await foreach (var update in _runner.RunAsync(plan, request, cancellationToken).ConfigureAwait(false))
        {
            // The response id, not the reported ConversationId: the latter may be switched off (ConversationIdMode).
            responseId = update.ResponseId ?? responseId;
        }

        return responseId ?? throw new ResponsesException(ResponsesErrorKind.ProtocolViolation, "The warmup finished without a response id.");
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>Closes the sockets (a close handshake when idle) and releases the client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var slot in _pool.Slots) await slot.CloseAsync().ConfigureAwait(false);
        _connector.Dispose();
    }

    /// <summary>Closes the sockets and releases the client. The close handshakes finish in the background.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _ = DisposeAsync().AsTask();
    }

    private (ConversationPlan Plan, CreateRequest Request) Plan(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var request = ChatOptionsMapper.CreateRequest(options, _options);
        var incoming = new List<InputItem>();
        ChatMessageMapper.AppendInputItems(messages, incoming);
        var plan = ChainPlanner.Plan(_transcripts, options?.ConversationId, incoming, RequestFingerprint.Compute(request), request.Store);
        return (ReportsConversationId(options) ? plan : plan.WithoutConversationId(), request);
    }

    private bool ReportsConversationId(ChatOptions? options) => _options.ConversationIds switch
    {
        ConversationIdMode.Always => true,
        ConversationIdMode.Never => false,

        // By name: referencing Semantic Kernel for one type check would be a heavy dependency (see ConversationIdMode.Auto).
        _ => options?.GetType().FullName != "Microsoft.Extensions.AI.KernelChatOptions",
    };

    private static ResponsesWebSocketChatClientOptions ValidateAndCopy(ResponsesWebSocketChatClientOptions options)
    {
        if (options.Endpoint is null || !options.Endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"Endpoint must be an absolute URL such as {ResponsesWebSocketChatClientOptions.DefaultEndpoint}.", nameof(options));
        }

        if (options.WebSocketEndpoint is { } ws && (!ws.IsAbsoluteUri || ws.Scheme is not ("ws" or "wss")))
        {
            throw new ArgumentException("WebSocketEndpoint must be an absolute ws:// or wss:// URL.", nameof(options));
        }

        var target = options.WebSocketEndpoint ?? WebSocketEndpoint.FromHttpBase(options.Endpoint);
        if (string.IsNullOrWhiteSpace(options.ApiKey) && !target.IsLoopback)
        {
            throw new ArgumentException($"ApiKey is required for the non-loopback endpoint {UriRedaction.Redact(target)}.", nameof(options));
        }

        EndpointSecurity.EnsureEncryptedOrLoopback(target, options.DangerouslyAllowUnencryptedRemoteEndpoint);
        HeaderValueValidator.EnsureValid(options.ApiKey, nameof(options.ApiKey));
        HeaderValueValidator.EnsureValid(options.Organization, nameof(options.Organization));
        HeaderValueValidator.EnsureValid(options.Project, nameof(options.Project));

        if (options.ConnectTimeout <= TimeSpan.Zero) throw new ArgumentException("ConnectTimeout must be positive.", nameof(options));
        if (options.MaxConnectionAge <= TimeSpan.Zero) throw new ArgumentException("MaxConnectionAge must be positive.", nameof(options));
        if (options.MaxConnections < 1) throw new ArgumentException("MaxConnections must be at least 1.", nameof(options));
        if (options.MaxTrackedResponses < 1) throw new ArgumentException("MaxTrackedResponses must be at least 1.", nameof(options));
        if (options.TranscriptIdleTimeout <= TimeSpan.Zero) throw new ArgumentException("TranscriptIdleTimeout must be positive.", nameof(options));
        if (options.MaxMessageSize < 1024 || options.MaxMessageSize > Array.MaxLength) throw new ArgumentException($"MaxMessageSize must be between 1024 and {Array.MaxLength} bytes.", nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        return options.Clone();
    }
}
