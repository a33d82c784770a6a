using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket;

/// <summary>
/// An <see cref="IChatClient"/> that talks to the OpenAI Responses API over one WebSocket (WebSocket mode).
/// </summary>
/// <remarks>
/// <para>The socket is opened lazily on the first call and reused. One response is in flight at a time: a concurrent
/// call waits for the previous one to finish; it never interleaves with it.</para>
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
    private readonly SemaphoreSlim _turnLock = new(1, 1);
    private WebSocketConnection? _connection;
    private bool _disposed;

    /// <summary>Initializes a new client.</summary>
    /// <param name="options">Endpoint, key, model and transport settings. They are copied: later changes have no effect.</param>
    /// <param name="loggerFactory">Where connection lifecycle and errors are logged; never prompts or outputs.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The endpoint is not an absolute http(s)/ws(s) URL, or no API key was given for a non-loopback endpoint.</exception>
    public ResponsesWebSocketChatClient(ResponsesWebSocketChatClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = ValidateAndCopy(options);
        WebSocketUri = _options.WebSocketEndpoint ?? WebSocketEndpoint.FromHttpBase(_options.Endpoint);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ResponsesWebSocketChatClient>();
        _metadata = new ChatClientMetadata("openai", _options.Endpoint, _options.Model);
        _connector = new WebSocketConnector(WebSocketUri, _options, _logger);
    }

    /// <summary>Gets the WebSocket URL the client connects to.</summary>
    public Uri WebSocketUri { get; }

    /// <summary>Gets how many WebSocket connections this client has opened so far.</summary>
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

        // Map eagerly: the caller may mutate its message list as soon as this returns (FunctionInvokingChatClient does),
        // and invalid input should fail at the call, not at the first MoveNextAsync.
        var request = ChatOptionsMapper.CreateRequest(options, _options);
        ChatMessageMapper.AppendInputItems(messages, request.Input);
        var frame = CreateRequestWriter.WriteToArray(request, RequestTransport.WebSocket);
        return StreamAsync(frame, cancellationToken);
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

    /// <summary>Closes the socket (a close handshake when idle) and releases the client.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
        _connector.Dispose();
    }

    /// <summary>Closes the socket and releases the client. The close handshake finishes in the background.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        var connection = Interlocked.Exchange(ref _connection, null);
        var connector = _connector;
        _ = Task.Run(async () =>
        {
            if (connection is not null) await connection.DisposeAsync().ConfigureAwait(false);
            connector.Dispose();
        });
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(byte[] frame, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _turnLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        WebSocketConnection? connection = null;
        ResponseTurn? turn = null;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
                var sent = await TrySendAsync(connection, frame, cancellationToken).ConfigureAwait(false);
                if (sent.Error is not null)
                {
                    if (attempt == 0) { Log.RetryingOnNewConnection(_logger, sent.Error.Message); continue; }
                    throw sent.Error;
                }

                turn = sent.Turn!;
                var mapper = new ResponseUpdateMapper();
                var retry = false;
                while (true)
                {
                    var next = await TryReadAsync(turn, cancellationToken).ConfigureAwait(false);
                    if (next.Error is not null)
                    {
                        // A socket that died before the response produced anything is replayed once on a new socket.
                        if (next.Error.Kind == ResponsesErrorKind.ConnectionClosed && turn.EventCount == 0 && attempt == 0) { Log.RetryingOnNewConnection(_logger, next.Error.Message); retry = true; break; }
                        var failure = ErrorMapper.WithContext(next.Error, mapper.ResponseId, mapper.OutputSurfaced);
                        Log.ResponseError(_logger, failure.Kind, failure.Code, failure.Message);
                        if (failure.OutputSurfaced) yield return ErrorUpdate(mapper, failure);
                        throw failure;
                    }

                    var evt = next.Event;
                    if (evt is null) break;
                    if (evt.Type is ServerEventType.Error or ServerEventType.ResponseFailed)
                    {
                        var failure = evt.Type == ServerEventType.Error
                            ? ErrorMapper.FromErrorEvent(evt.Error!, mapper.ResponseId, mapper.OutputSurfaced)
                            : ErrorMapper.FromFailedResponse(evt.Response, mapper.OutputSurfaced);
                        if (failure.Code == "websocket_connection_limit_reached" && !mapper.OutputSurfaced && attempt == 0)
                        {
                            connection.Retire();
                            Log.RetryingOnNewConnection(_logger, failure.Message);
                            retry = true;
                            break;
                        }

                        Log.ResponseError(_logger, failure.Kind, failure.Code, failure.Message);
                        if (failure.OutputSurfaced) yield return ErrorUpdate(mapper, failure);
                        throw failure;
                    }

                    if (mapper.Map(evt) is { } update)
                    {
                        yield return update;
                    }

                    if (evt.IsTerminal)
                    {
                        Log.ResponseFinished(_logger, mapper.ResponseId, mapper.FinalResponse?.Status);
                        break;
                    }
                }

                if (!retry) yield break;
                connection.Release(turn);
                turn = null;
            }
        }
        finally
        {
            if (connection is not null && turn is not null)
            {
                // Anything short of a terminal event means the rest of the response is still coming: kill the socket.
                if (!turn.IsFinished) connection.Abandon();
                connection.Release(turn);
            }

            _turnLock.Release();
        }
    }

    private static ChatResponseUpdate ErrorUpdate(ResponseUpdateMapper mapper, ResponsesException failure) =>
        new(ChatRole.Assistant, [ErrorMapper.ToContent(failure)])
        {
            MessageId = mapper.ResponseId,
            ResponseId = mapper.ResponseId,
            ModelId = mapper.ModelId,
            CreatedAt = mapper.CreatedAt,
        };

    private async ValueTask<WebSocketConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        var current = _connection;
        if (current is not null)
        {
            var age = _options.TimeProvider.GetUtcNow() - current.OpenedAt;
            if (current.IsUsable && age < _options.MaxConnectionAge)
            {
                return current;
            }

            Log.ReplacingConnection(_logger, current.Id, current.IsUsable ? "it reached the maximum connection age" : "it is closed or broken");
            _connection = null;
            await current.DisposeAsync().ConfigureAwait(false);
        }

        var opened = await _connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
        _connection = opened;
        return opened;
    }

    private static async ValueTask<(ResponseTurn? Turn, ResponsesException? Error)> TrySendAsync(WebSocketConnection connection, byte[] frame, CancellationToken cancellationToken)
    {
        try
        {
            return (await connection.SendAsync(frame, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ResponsesException ex)
        {
            return (null, ex);
        }
    }

    private static async ValueTask<(ServerEvent? Event, ResponsesException? Error)> TryReadAsync(ResponseTurn turn, CancellationToken cancellationToken)
    {
        try
        {
            return (await turn.ReadAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (ResponsesException ex)
        {
            return (null, ex);
        }
    }

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
            throw new ArgumentException($"ApiKey is required for the non-loopback endpoint {target}.", nameof(options));
        }

        if (options.ConnectTimeout <= TimeSpan.Zero) throw new ArgumentException("ConnectTimeout must be positive.", nameof(options));
        if (options.MaxConnectionAge <= TimeSpan.Zero) throw new ArgumentException("MaxConnectionAge must be positive.", nameof(options));
        ArgumentNullException.ThrowIfNull(options.TimeProvider);
        return options.Clone();
    }
}
