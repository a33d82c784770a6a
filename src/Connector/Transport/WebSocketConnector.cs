using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>Opens <see cref="WebSocketConnection"/>s: handshake headers, timeouts, and typed handshake failures.</summary>
/// <remarks>The channel factory owns the shared handler, the registry of live channels and the shutdown token.</remarks>
internal sealed class WebSocketConnector
{
    private readonly TransportSettings _settings;
    private readonly HttpMessageHandler _handler;
    private readonly string _safeUri;
    private readonly ILogger _logger;
    private readonly ClientTelemetry _telemetry;

    public WebSocketConnector(TransportSettings settings, HttpMessageHandler handler, ILogger logger, ClientTelemetry telemetry)
    {
        _settings = settings;
        _handler = handler;
        _safeUri = UriRedaction.Redact(settings.WebSocketUri);
        _logger = logger;
        _telemetry = telemetry;
    }

    /// <summary>Gets how many handshakes succeeded (the benchmarks' socket count; hosts read the handshakes metric).</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    private int _connectionsOpened;

    /// <summary>
    /// Opens a connection, trying again when an attempt failed transiently (an upgrade answered 408, 429 or 5xx, or a
    /// network error) for as long as the retry policy allows, honouring the server's <c>Retry-After</c>. Timeouts and
    /// authentication failures are not retried (they would only fail again, slowly); see <see cref="RetryLoop"/>.
    /// </summary>
    /// <param name="onDisposed">Told once when the connection is disposed (the factory's registry of live channels).</param>
    /// <param name="cancellationToken">Cancels the handshake (the caller's token linked with the factory's shutdown).</param>
    /// <exception cref="ResponsesException">The upgrade was rejected, timed out or could not reach the server.</exception>
    public Task<WebSocketConnection> ConnectAsync(Action<IResponseChannel> onDisposed, CancellationToken cancellationToken) =>
        RetryLoop.RunAsync(
            ct => ConnectOnceAsync(onDisposed, ct),
            _settings.RetryPolicy,
            _settings.TimeProvider,
            (failure, retry, delay) => Log.RetryingConnect(_logger, _safeUri, retry, delay, failure.Message, failure),
            cancellationToken);

    private async Task<WebSocketConnection> ConnectOnceAsync(Action<IResponseChannel> onDisposed, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await HandshakeHeaders.ApplyAsync(socket.Options, _settings, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        socket.Options.KeepAliveInterval = _settings.KeepAliveInterval;
        if (_settings.KeepAliveInterval > TimeSpan.Zero && _settings.KeepAliveTimeout > TimeSpan.Zero)
        {
            // PING/PONG with a deadline detects a dead peer; plain keep-alive only sends unsolicited pongs.
            socket.Options.KeepAliveTimeout = _settings.KeepAliveTimeout;
        }

        var capture = new HandshakeCaptureHandler(_handler) { Time = _settings.TimeProvider };
        using var invoker = new HttpMessageInvoker(capture, disposeHandler: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.ConnectTimeout);
        Log.Connecting(_logger, _safeUri);
        using var activity = _telemetry.StartConnect(UriRedaction.RedactUri(_settings.WebSocketUri));
        try
        {
            await socket.ConnectAsync(_settings.WebSocketUri, invoker, timeout.Token).ConfigureAwait(false);
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
        var connection = new WebSocketConnection(socket, _logger, _settings.TimeProvider, _settings.ResponseIdleTimeout, onDisposed, _settings.MaxMessageSize);
        Log.Connected(_logger, connection.Id, _safeUri);
        return connection;
    }

    private ResponsesException CreateConnectException(Exception ex, HandshakeCaptureHandler capture, bool timedOut)
    {
        if (capture.RejectedStatus is { } status)
        {
            var code = (int)status;
            Log.HandshakeRejected(_logger, _safeUri, code, ex);
            var error = HttpErrorBody.Parse(capture.RejectedBody);
            var message = error?.Message is { Length: > 0 } serviceMessage
                ? serviceMessage
                : $"The WebSocket upgrade to {_safeUri} was rejected with HTTP {code}.";
            return new ResponsesException(ResponsesErrorKind.HandshakeRejected, message, error?.Code, code, ex)
            {
                ErrorType = error?.Type,
                Param = error?.Param,
                RetryAfter = capture.RejectedRetryAfter,
            };
        }

        return timedOut
            ? new ResponsesException(ResponsesErrorKind.ConnectionFailed, $"Timed out after {_settings.ConnectTimeout.TotalSeconds:0.#} s opening a WebSocket to {_safeUri}.", innerException: ex)
            : new ResponsesException(ResponsesErrorKind.ConnectionFailed, $"Could not open a WebSocket to {_safeUri}: {ex.Message}", innerException: ex);
    }
}
