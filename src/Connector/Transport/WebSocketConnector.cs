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

    // One handler for every handshake: its settings (proxy, TLS, NoDelay) apply to all of them.
    private readonly SocketsHttpHandler _handler = new() { UseCookies = false, AllowAutoRedirect = false };

    public WebSocketConnector(Uri uri, ResponsesWebSocketChatClientOptions options, ILogger logger)
    {
        _uri = uri;
        _safeUri = UriRedaction.Redact(uri);
        _options = options;
        _logger = logger;
    }

    /// <summary>Gets how many handshakes succeeded (diagnostics and tests).</summary>
    public int ConnectionsOpened => _connectionsOpened;

    private int _connectionsOpened;

    /// <summary>
    /// Opens a connection, trying a second time at once when the first attempt failed transiently: an upgrade answered
    /// 408, 429 or 5xx, or a network error. Timeouts and authentication failures are not retried (they would only fail
    /// again, slowly), and nothing is retried more than once, so a hostile proxy costs one extra attempt, not five.
    /// </summary>
    /// <exception cref="ResponsesException">The upgrade was rejected, timed out or could not reach the server.</exception>
    public async Task<WebSocketConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ResponsesException ex) when (ex.IsTransient && ex.InnerException is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.RetryingConnect(_logger, _safeUri, ex.Message);
            return await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<WebSocketConnection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (_options.ApiKey is { Length: > 0 } key) socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        if (_options.Organization is { Length: > 0 } org) socket.Options.SetRequestHeader("OpenAI-Organization", org);
        if (_options.Project is { Length: > 0 } project) socket.Options.SetRequestHeader("OpenAI-Project", project);
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
        try
        {
            await socket.ConnectAsync(_uri, invoker, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw CreateConnectException(ex, capture, timeout.IsCancellationRequested);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Interlocked.Increment(ref _connectionsOpened);
        var connection = new WebSocketConnection(socket, _options.TimeProvider.GetUtcNow(), _logger, _options.MaxMessageSize);
        Log.Connected(_logger, connection.Id, _safeUri);
        return connection;
    }

    public void Dispose() => _handler.Dispose();

    private ResponsesException CreateConnectException(Exception ex, HandshakeCaptureHandler capture, bool timedOut)
    {
        if (capture.RejectedStatus is { } status)
        {
            var code = (int)status;
            Log.HandshakeRejected(_logger, _safeUri, code);
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
