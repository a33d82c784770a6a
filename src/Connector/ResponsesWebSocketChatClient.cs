using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Transport;
using ResponsesWebSocket.Turns;

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
    private readonly ResponseChannelFactory _channels;
    private readonly ConnectionPool _pool;
    private readonly TranscriptStore _transcripts;
    private readonly SharedTranscripts? _shared;
    private readonly TurnRunner _runner;
    private readonly EncryptedReasoningPolicy _reasoning;
    private readonly ClientTelemetry _telemetry;
    private int _disposed;

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
        _telemetry = new ClientTelemetry(CountOpenConnections);
        _channels = new ResponseChannelFactory(CreateTransportSettings(_options, WebSocketUri), _logger, _telemetry);
        _pool = new ConnectionPool(_options.MaxConnections);
        _transcripts = new TranscriptStore(_options.MaxTrackedResponses, _options.TranscriptIdleTimeout, _options.TimeProvider);
        _reasoning = new EncryptedReasoningPolicy(_options.EncryptedReasoning, _logger);
        _shared = _options.TranscriptStore is { } shared
            ? new SharedTranscripts(shared, _transcripts, _options.TranscriptIdleTimeout, _logger)
            : null;
        _runner = new TurnRunner(_options, _channels, _pool, _transcripts, _shared, _reasoning, _logger, _telemetry);
    }

    /// <summary>Gets the WebSocket URL the client connects to.</summary>
    public Uri WebSocketUri { get; }

    /// <summary>Gets how many handshakes succeeded so far (benchmarks; hosts read the handshakes metric).</summary>
    internal int ConnectionsOpened => _channels.ConnectionsOpened;

    /// <summary>Gets how many channels (sockets, HTTP lanes) are open or closing right now (tests check that disposal leaves none).</summary>
    internal int LiveConnectionCount => _channels.LiveChannelCount;

    /// <summary>Gets whether the client is sending over HTTP because WebSocket mode was refused (see <see cref="ResponsesTransport.Auto"/>).</summary>
    internal bool IsFallingBackToHttp => _channels.IsFallingBack;

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // The same turn as a stream, but the mapper leaves out the per-delta updates that merging folds anyway, so the merged
        // response equals ToChatResponse() of the full stream (same errors, transcript and recovery) at a fraction of the updates.
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Start(messages, options, forResponse: true, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Start(messages, options, forResponse: false, cancellationToken);

    private IAsyncEnumerable<ChatResponseUpdate> Start(IEnumerable<ChatMessage> messages, ChatOptions? options, bool forResponse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // Map and plan eagerly: the caller may mutate its message list as soon as this returns (FunctionInvokingChatClient
        // does), and invalid input should fail at the call, not at the first MoveNextAsync.
        var call = Map(messages, options);
        return TryPlanNow(call, options?.ConversationId, out var plan)
            ? _runner.RunAsync(plan, call.Request, forResponse, cancellationToken)
            : LookUpThenRunAsync(call, options?.ConversationId, forResponse, cancellationToken);
    }

    private async IAsyncEnumerable<ChatResponseUpdate> LookUpThenRunAsync(MappedCall call, string? conversationId, bool forResponse, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var plan = await PlanAfterLookUpAsync(call, conversationId, cancellationToken).ConfigureAwait(false);
        await foreach (var update in _runner.RunAsync(plan, call.Request, forResponse, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
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
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var call = Map(messages, options);
        call.Request.Generate = false;
        if (!TryPlanNow(call, options?.ConversationId, out var plan))
        {
            plan = await PlanAfterLookUpAsync(call, options?.ConversationId, cancellationToken).ConfigureAwait(false);
        }

        string? responseId = null;
        await foreach (var update in _runner.RunAsync(plan, call.Request, forResponse: false, cancellationToken).ConfigureAwait(false))
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
            : serviceType == typeof(ActivitySource) ? _telemetry.ActivitySource
            : serviceType == typeof(Meter) ? _telemetry.Meter
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <summary>
    /// Closes the client: no new call or handshake starts, calls waiting for a connection fail with
    /// <see cref="ObjectDisposedException"/>, responses in flight end with a <see cref="ResponsesException"/>
    /// (their sockets are aborted), idle sockets get a close handshake. Returns when every socket is closed or aborted.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _pool.Dispose();
        var open = _channels.ShutDown();
        await Task.WhenAll(open.Select(static c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
        _channels.Dispose();
        _telemetry.Dispose();
    }

    /// <summary>
    /// Closes the client at once: like <see cref="DisposeAsync"/>, but sockets are aborted without a close handshake, so
    /// nothing is left running in the background.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _pool.Dispose();
        foreach (var connection in _channels.ShutDown())
        {
            connection.Retire();
            _ = connection.DisposeAsync().AsTask().ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        _channels.Dispose();
        _telemetry.Dispose();
    }

    private int CountOpenConnections() => _pool.Slots.Count(static slot => slot.Channel is { IsOpen: true });

    /// <summary>What the transport needs of the options, and nothing more (it never sees the options type).</summary>
    private static TransportSettings CreateTransportSettings(ResponsesWebSocketChatClientOptions options, Uri webSocketUri) => new()
    {
        WebSocketUri = webSocketUri,
        HttpUri = HttpEndpoint.FromWebSocketUri(webSocketUri),
        Mode = options.Transport,
        HttpFallbackDuration = options.HttpFallbackDuration,
        ApiKey = options.ApiKey,
        TokenProvider = options.TokenProvider,
        UseApiKeyHeader = options.ApiKeyHeader == ApiKeyHeader.ApiKey,
        Organization = options.Organization,
        Project = options.Project,
        AdditionalHeaders = [.. options.AdditionalHeaders],
        ConfigureWebSocket = options.ConfigureWebSocket,
        ConfigureHttpHandler = options.ConfigureHttpHandler,
        ConnectTimeout = options.ConnectTimeout,
        KeepAliveInterval = options.KeepAliveInterval,
        KeepAliveTimeout = options.KeepAliveTimeout,
        MaxConnectionAge = options.MaxConnectionAge,
        ResponseIdleTimeout = options.ResponseIdleTimeout,
        MaxMessageSize = options.MaxMessageSize,
        TimeProvider = options.TimeProvider,
        RetryPolicy = options.RetryPolicy ?? new ExponentialBackoffRetryPolicy(),
    };

    /// <summary>Maps a call: its request, its items, and its conversation scope.</summary>
    private MappedCall Map(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var request = ChatOptionsMapper.CreateRequest(options, _options);
        _reasoning.Apply(request);
        var incoming = new List<InputItem>();
        ChatMessageMapper.AppendInputItems(messages, incoming);
        return new MappedCall(request, incoming, ConversationScopeReader.Read(options, _options.ConversationScope));
    }

    /// <summary>
    /// Plans from memory, unless the conversation may live only in the shared store: an id memory does not know (looked up
    /// before planning, which would otherwise reject it), or a history that extends nothing in memory but holds model
    /// output another process may have produced. Then <see cref="PlanAfterLookUpAsync"/> plans once it was read back.
    /// </summary>
    private bool TryPlanNow(MappedCall call, string? conversationId, out ConversationPlan plan)
    {
        plan = null!;
        if (_shared?.IsUnknownId(call.Scope, conversationId) == true) return false;
        plan = Plan(call, conversationId);
        return _shared is null || !SharedTranscripts.MayContinueElsewhere(plan, conversationId, call.Incoming);
    }

    private async ValueTask<ConversationPlan> PlanAfterLookUpAsync(MappedCall call, string? conversationId, CancellationToken cancellationToken)
    {
        await _shared!.LookUpAsync(call.Scope, conversationId, call.Incoming, cancellationToken).ConfigureAwait(false);
        return Plan(call, conversationId);
    }

    private ConversationPlan Plan(MappedCall call, string? conversationId)
    {
        var plan = ChainPlanner.Plan(_transcripts, call.Scope, conversationId, call.Incoming, RequestFingerprint.Compute(call.Request), call.Request.Store);
        return _options.ConversationIdMode == ConversationIdMode.Never ? plan.WithoutConversationId() : plan;
    }

    private readonly record struct MappedCall(CreateRequest Request, List<InputItem> Incoming, string Scope);

    private static ResponsesWebSocketChatClientOptions ValidateAndCopy(ResponsesWebSocketChatClientOptions options)
    {
        var failures = ResponsesWebSocketChatClientOptionsValidator.Check(options, requireModel: false);
        if (failures.Count > 0) throw new ArgumentException(string.Join(" ", failures), nameof(options));
        return options.Clone();
    }
}
