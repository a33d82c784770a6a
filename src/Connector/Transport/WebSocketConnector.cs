using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>Opens <see cref="WebSocketConnection"/>s: handshake headers, timeouts, and typed handshake failures.</summary>
internal sealed class WebSocketConnector : IDisposable
{
    private readonly Uri _uri;
    private readonly string _safeUri;
    private readonly ResponsesWebSocketChatClientOptions _options;
    private readonly ILogger _logger;
    private readonly ClientTelemetry _telemetry;

    // One handler for every handshake: its settings (proxy, TLS, NoDelay) apply to all of them.
    private readonly SocketsHttpHandler _handler = new() { UseCookies = false, AllowAutoRedirect = false };

    // Every connection that is open or being disposed, so that shutting the client down can close all of them; and a
    // token that cancels handshakes under way when it does.
    private readonly HashSet<WebSocketConnection> _live = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _shutdown = new();
    private bool _shutDown;

    public WebSocketConnector(Uri uri, ResponsesWebSocketChatClientOptions options, ILogger logger, ClientTelemetry telemetry)
    {
        _telemetry = telemetry;
        _uri = uri;
        _safeUri = UriRedaction.Redact(uri);
        _options = options;
        _logger = logger;
        options.ConfigureHttpHandler?.Invoke(_handler);
    }

    /// <summary>Gets how many handshakes succeeded (the benchmarks' socket count; hosts read the handshakes metric).</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    private int _connectionsOpened;

    /// <summary>Gets how many connections are open or closing (tests check that disposal leaves none).</summary>
    public int LiveConnectionCount
    {
        get { lock (_gate) return _live.Count; }
    }

    /// <summary>
    /// Opens a connection, trying a second time at once when the first attempt failed transiently: an upgrade answered
    /// 408, 429 or 5xx, or a network error. Timeouts and authentication failures are not retried (they would only fail
    /// again, slowly), and nothing is retried more than once, so a hostile proxy costs one extra attempt, not five.
    /// </summary>
    /// <exception cref="ResponsesException">The upgrade was rejected, timed out or could not reach the server.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async Task<WebSocketConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _shutDown), typeof(ResponsesWebSocketChatClient));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        try
        {
            return await ConnectWithRetryAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(typeof(ResponsesWebSocketChatClient).FullName, "The client was disposed while a WebSocket was being opened.");
        }
    }

    /// <summary>
    /// Stops new handshakes, cancels those under way, and returns every connection still open, for the caller to close.
    /// A handshake that completes after this point closes its own socket at once.
    /// </summary>
    public List<WebSocketConnection> ShutDown()
    {
        List<WebSocketConnection> open;
        lock (_gate)
        {
            _shutDown = true;
            open = [.. _live];
        }

        // Outside the lock: cancellation callbacks run inline and abort the handshakes' sockets.
        _shutdown.Cancel();
        return open;
    }

    private async Task<WebSocketConnection> ConnectWithRetryAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ResponsesException ex) when (ex.IsTransient && ex.InnerException is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.RetryingConnect(_logger, _safeUri, ex.Message, ex);
            return await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<WebSocketConnection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await HandshakeHeaders.ApplyAsync(socket.Options, _options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        socket.Options.KeepAliveInterval = _options.KeepAliveInterval;
        if (_options.KeepAliveInterval > TimeSpan.Zero && _options.KeepAliveTimeout > TimeSpan.Zero)
        {
            // PING/PONG with a deadline detects a dead peer; plain keep-alive only sends unsolicited pongs.
            socket.Options.KeepAliveTimeout = _options.KeepAliveTimeout;
        }

        var capture = new HandshakeCaptureHandler(_handler);
        using var invoker = new HttpMessageInvoker(capture, disposeHandler: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        Log.Connecting(_logger, _safeUri);
        using var activity = _telemetry.StartConnect(UriRedaction.RedactUri(_uri));
        try
        {
            await socket.ConnectAsync(_uri, invoker, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            var failure = CreateConnectException(ex, capture, timeout.IsCancellationRequested);
            _telemetry.HandshakeFinished(activity, failure.StatusCode is null ? "failed" : "rejected", failure.StatusCode, ex);
            throw failure;
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _telemetry.HandshakeFinished(activity, "succeeded", 101);
        Interlocked.Increment(ref _connectionsOpened);
        var connection = new WebSocketConnection(socket, _logger, _options.TimeProvider, _options.ResponseIdleTimeout, Forget, _options.MaxMessageSize);
        bool registered;
        lock (_gate)
        {
            registered = !_shutDown && _live.Add(connection);
        }

        if (!registered)
        {
            connection.Retire();
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(typeof(ResponsesWebSocketChatClient).FullName, "The client was disposed while a WebSocket was being opened.");
        }

        Log.Connected(_logger, connection.Id, _safeUri);
        return connection;
    }

    /// <summary>Shuts down (see <see cref="ShutDown"/>) and releases the handler; the owner closes the returned connections first.</summary>
    /// <remarks>The shutdown token source is not disposed: a handshake racing the shutdown may still link to it, and a
    /// token source without a timer holds nothing that needs releasing.</remarks>
    public void Dispose()
    {
        ShutDown();
        _handler.Dispose();
    }

    private void Forget(WebSocketConnection connection)
    {
        lock (_gate) _live.Remove(connection);
    }

    private ResponsesException CreateConnectException(Exception ex, HandshakeCaptureHandler capture, bool timedOut)
    {
        if (capture.RejectedStatus is { } status)
        {
            var code = (int)status;
            Log.HandshakeRejected(_logger, _safeUri, code, ex);
            var error = ParseErrorBody(capture.RejectedBody);
            var message = error?.Message is { Length: > 0 } serviceMessage
                ? serviceMessage
                : $"The WebSocket upgrade to {_safeUri} was rejected with HTTP {code}.";
            return new ResponsesException(ResponsesErrorKind.HandshakeRejected, message, error?.Code, code, ex)
            {
                ErrorType = error?.Type,
                Param = error?.Param,
            };
        }

        return timedOut
            ? new ResponsesException(ResponsesErrorKind.ConnectionFailed, $"Timed out after {_options.ConnectTimeout.TotalSeconds:0.#} s opening a WebSocket to {_safeUri}.", innerException: ex)
            : new ResponsesException(ResponsesErrorKind.ConnectionFailed, $"Could not open a WebSocket to {_safeUri}: {ex.Message}", innerException: ex);
    }

    private static ErrorWire? ParseErrorBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonSerializer.Deserialize(body, ResponsesJsonContext.Default.ErrorEnvelopeWire)?.Error;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not every proxy answers in (valid) JSON; the status alone still tells the story.
            return null;
        }
    }
}
