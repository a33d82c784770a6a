using System.Net;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Diagnostics;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// Opens the channels pool slots use: WebSockets, HTTP/SSE channels, or (in <see cref="ResponsesTransport.Auto"/>) a
/// WebSocket that falls back to HTTP when WebSocket mode is refused. Owns the one HTTP handler both transports share,
/// the registry of live channels, and the shutdown that closes them.
/// </summary>
/// <remarks>
/// Fallback is decided at the handshake only, so it can never happen after output was surfaced: an upgrade answered 426
/// (the service or a proxy says WebSocket mode is not available here), 404 or 405 (a Responses-compatible server without
/// WebSocket mode) switches the client to HTTP for <see cref="TransportSettings.HttpFallbackDuration"/>, logged once per
/// switch. 401 and 403 never fall back: the credential is wrong on either transport.
/// </remarks>
internal sealed class ResponseChannelFactory : IDisposable
{
    private readonly TransportSettings _settings;
    private readonly ILogger _logger;
    private readonly ClientTelemetry _telemetry;
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;
    private readonly WebSocketConnector _webSockets;
    private readonly HashSet<IResponseChannel> _live = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _shutdown = new();
    private bool _shutDown;

    // UTC ticks until which Auto sends over HTTP (0 = WebSocket mode).
    private long _httpUntilTicks;

    public ResponseChannelFactory(TransportSettings settings, ILogger logger, ClientTelemetry telemetry)
    {
        _settings = settings;
        _logger = logger;
        _telemetry = telemetry;

        // One handler for every handshake and request: its settings (proxy, TLS, NoDelay) apply to all of them, and the
        // HTTP transport's TCP connections are pooled across slots.
        _handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
        settings.ConfigureHttpHandler?.Invoke(_handler);
        _http = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _webSockets = new WebSocketConnector(settings, _handler, logger, telemetry);
    }

    /// <summary>Gets how many WebSocket handshakes succeeded.</summary>
    public int ConnectionsOpened => _webSockets.ConnectionsOpened;

    /// <summary>Gets how many channels are open or closing (tests check that disposal leaves none).</summary>
    public int LiveChannelCount
    {
        get { lock (_gate) return _live.Count; }
    }

    /// <summary>Gets whether an <see cref="ResponsesTransport.Auto"/> client is currently sending over HTTP.</summary>
    public bool IsFallingBack => Volatile.Read(ref _httpUntilTicks) > _settings.TimeProvider.GetUtcNow().UtcTicks;

    /// <summary>
    /// Gets whether <paramref name="channel"/> is still the kind of channel this factory would open now: an HTTP channel
    /// opened during a fallback is replaced once the fallback period ends, so that WebSocket mode is tried again.
    /// </summary>
    public bool IsCurrent(IResponseChannel channel) =>
        _settings.Mode != ResponsesTransport.Auto || channel is not HttpResponseChannel || IsFallingBack;

    /// <summary>Opens a channel of the configured kind.</summary>
    /// <exception cref="ResponsesException">The handshake was rejected (and not a reason to fall back), timed out or failed.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async Task<IResponseChannel> OpenAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _shutDown)) throw Disposed();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        IResponseChannel channel;
        try
        {
            channel = await OpenCoreAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_shutdown.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Disposed();
        }

        bool registered;
        lock (_gate)
        {
            registered = !_shutDown && _live.Add(channel);
        }

        if (!registered)
        {
            channel.Retire();
            await channel.DisposeAsync().ConfigureAwait(false);
            throw Disposed();
        }

        return channel;
    }

    /// <summary>
    /// Stops new channels, cancels handshakes under way, and returns every channel still open, for the caller to close.
    /// A handshake that completes after this point closes its own channel at once.
    /// </summary>
    public List<IResponseChannel> ShutDown()
    {
        List<IResponseChannel> open;
        lock (_gate)
        {
            _shutDown = true;
            open = [.. _live];
        }

        // Outside the lock: cancellation callbacks run inline and abort the handshakes' sockets.
        _shutdown.Cancel();
        return open;
    }

    /// <summary>Shuts down and releases the shared handler; the owner closes the returned channels first.</summary>
    /// <remarks>The shutdown token source is not disposed: a handshake racing the shutdown may still link to it, and a
    /// token source without a timer holds nothing that needs releasing.</remarks>
    public void Dispose()
    {
        ShutDown();
        _http.Dispose();
        _handler.Dispose();
    }

    private async Task<IResponseChannel> OpenCoreAsync(CancellationToken cancellationToken)
    {
        if (_settings.Mode == ResponsesTransport.Http || (_settings.Mode == ResponsesTransport.Auto && IsFallingBack))
        {
            return OpenHttp();
        }

        try
        {
            return await _webSockets.ConnectAsync(Forget, cancellationToken).ConfigureAwait(false);
        }
        catch (ResponsesException ex) when (_settings.Mode == ResponsesTransport.Auto && RefusesWebSocketMode(ex))
        {
            var until = _settings.TimeProvider.GetUtcNow() + _settings.HttpFallbackDuration;
            var previous = Interlocked.Exchange(ref _httpUntilTicks, until.UtcTicks);
            if (previous <= _settings.TimeProvider.GetUtcNow().UtcTicks)
            {
                // Once per switch: concurrent slots refused at the same moment say it once between them (mostly).
                Log.FallingBackToHttp(_logger, UriRedaction.Redact(_settings.WebSocketUri), ex.StatusCode ?? 0, _settings.HttpFallbackDuration);
                _telemetry.FellBackToHttp(ex.StatusCode ?? 0);
            }

            return OpenHttp();
        }
    }

    /// <summary>426: WebSocket mode is not available here; 404/405: a Responses server without WebSocket mode.</summary>
    internal static bool RefusesWebSocketMode(ResponsesException failure) =>
        failure.Kind == ResponsesErrorKind.HandshakeRejected && failure.StatusCode is 426 or 404 or 405;

    private HttpResponseChannel OpenHttp() => new(_http, _settings, _logger, Forget);

    private void Forget(IResponseChannel channel)
    {
        lock (_gate) _live.Remove(channel);
    }

    private static ObjectDisposedException Disposed() =>
        new(TransportSettings.OwnerName, "The client was disposed while a channel was being opened.");
}
