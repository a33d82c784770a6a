using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// Responses over HTTP: each turn is one <c>POST /responses</c> with <c>stream: true</c>, its server-sent events parsed by
/// <see cref="SseParser"/> into the same <see cref="ServerEvent"/>s the WebSocket reader produces.
/// </summary>
/// <remarks>
/// <para>HTTP has no connection-local cache, so <see cref="CachedResponseId"/> is always <see langword="null"/>: with
/// <c>store=false</c> every turn is a full create, with <c>store=true</c> a turn chains by id (the service persists it).</para>
/// <para>Errors before the stream are a non-2xx JSON body. 408, 429 and 5xx (and network errors) are tried again as the
/// retry policy allows before the turn fails; any other status fails the turn with the service's code, message and status, exactly as an
/// <c>error</c> event would, so the turn engine applies the same recovery (a lost chain, an unsupported include).</para>
/// <para>A channel is a pool slot's lane, not a connection: the shared <see cref="HttpClient"/> pools the TCP connections.</para>
/// </remarks>
internal sealed class HttpResponseChannel : IResponseChannel
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    private readonly HttpClient _http;

    // The events its turns' consumers are done with, parsed into again by the next events (see ServerEventPool).
    private readonly ServerEventPool _events = new();
    private readonly TransportSettings _settings;
    private readonly string _safeUri;
    private readonly ILogger _logger;
    private readonly Action<IResponseChannel>? _onDisposed;
    private ResponseTurn? _current;
    private CancellationTokenSource? _turnAbort;
    private Task _pump = Task.CompletedTask;
    private volatile bool _retired;

    public HttpResponseChannel(HttpClient http, TransportSettings settings, ILogger logger, Action<IResponseChannel>? onDisposed = null)
    {
        _http = http;
        _settings = settings;
        _safeUri = UriRedaction.Redact(settings.HttpUri);
        _logger = logger;
        _onDisposed = onDisposed;
        OpenedAt = settings.TimeProvider.GetUtcNow();
        Id = ChannelIds.Next();
        Log.HttpChannelOpened(logger, Id, _safeUri);
    }

    /// <inheritdoc/>
    public long Id { get; }

    /// <inheritdoc/>
    public RequestTransport Transport => RequestTransport.Http;

    /// <inheritdoc/>
    public DateTimeOffset OpenedAt { get; }

    /// <inheritdoc/>
    public bool IsOpen => !_retired;

    /// <inheritdoc/>
    public bool IsUsable => !_retired && Volatile.Read(ref _current) is null;

    /// <inheritdoc/>
    public string? CachedResponseId => null;

    /// <inheritdoc/>
    public async ValueTask<ResponseTurn> SendAsync(ReadOnlyMemory<byte> request, bool keepRawEvents, CancellationToken cancellationToken)
    {
        var turn = new ResponseTurn(_events) { KeepsRawEvents = keepRawEvents };
        if (Interlocked.CompareExchange(ref _current, turn, null) is not null)
        {
            throw new InvalidOperationException("A response is already in flight on this channel.");
        }

        if (_retired)
        {
            _current = null;
            throw new ResponsesException(ResponsesErrorKind.ConnectionClosed, "The HTTP channel is closed.");
        }

        // Cancels the request and its body: Abandon, Retire, the idle watchdog. The caller's token only covers the send.
        var abort = new CancellationTokenSource();
        _turnAbort = abort;
        HttpResponseMessage response;
        try
        {
            response = await PostWithRetryAsync(request, abort.Token, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _current = null;
            abort.Dispose();
            throw;
        }

        if (!response.IsSuccessStatusCode)
        {
            // The service refused the request before any event: the turn fails with its words, as an error event would.
            using (response)
            {
                turn.Fail(await ReadRefusalAsync(response, abort.Token).ConfigureAwait(false));
            }

            return turn;
        }

        turn.WatchIdle(_settings.TimeProvider, _settings.ResponseIdleTimeout, () => TimeOut(turn, abort));
        _pump = PumpAsync(response, turn, abort.Token);
        return turn;
    }

    /// <inheritdoc/>
    public void Abandon()
    {
        if (Volatile.Read(ref _current) is { IsFinished: false })
        {
            Log.TurnAbandoned(_logger, Id);
            CancelTurn();
        }
    }

    /// <inheritdoc/>
    public void Retire()
    {
        _retired = true;
        CancelTurn();
    }

    /// <inheritdoc/>
    public void Release(ResponseTurn turn)
    {
        turn.StopWatching();
        Interlocked.CompareExchange(ref _current, null, turn);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Retire();
        await _pump.ConfigureAwait(false);
        _onDisposed?.Invoke(this);
    }

    private void CancelTurn() => Cancel(_turnAbort);

    /// <summary>Cancels a turn's request; one that already finished has given its token source back, which is fine.</summary>
    private static void Cancel(CancellationTokenSource? abort)
    {
        try
        {
            abort?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The turn's request already finished.
        }
    }

    /// <summary>
    /// Posts the request, trying again while it is refused transiently (408, 429, 5xx, a network error) and the retry
    /// policy allows, honouring <c>Retry-After</c>; the last refusal is returned as it came (the turn fails with it).
    /// Nothing of a response has been read at that point, so a retry can never duplicate output.
    /// </summary>
    private async Task<HttpResponseMessage> PostWithRetryAsync(ReadOnlyMemory<byte> body, CancellationToken abort, CancellationToken cancellationToken)
    {
        HttpResponseMessage? lastRefusal = null;
        try
        {
            return await RetryLoop.RunAsync(
                async ct =>
                {
                    lastRefusal?.Dispose();
                    lastRefusal = null;
                    var response = await PostOnceAsync(body, abort, ct).ConfigureAwait(false);
                    if (!IsTransientStatus((int)response.StatusCode)) return response;

                    // Retried: the refusal becomes the failure the policy sees, with the server's Retry-After.
                    lastRefusal = response;
                    throw new ResponsesException(ResponsesErrorKind.ServiceError, $"HTTP {(int)response.StatusCode}", statusCode: (int)response.StatusCode)
                    {
                        RetryAfter = RetryAfterHeader.Parse(response.Headers, _settings.TimeProvider),
                    };
                },
                _settings.RetryPolicy,
                _settings.TimeProvider,
                (failure, retry, delay) => Log.RetryingHttpRequest(_logger, _safeUri, retry, delay, failure.Message, failure),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ResponsesException) when (lastRefusal is not null)
        {
            // Out of retries: the turn fails with the service's own words from the last refusal.
            return lastRefusal;
        }
    }

    private static bool IsTransientStatus(int status) => status is 408 or 429 or >= 500;

    private async Task<HttpResponseMessage> PostOnceAsync(ReadOnlyMemory<byte> body, CancellationToken abort, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _settings.HttpUri);
        message.Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = JsonContentType } };
        message.Headers.Accept.Add(EventStream);
        await HandshakeHeaders.ApplyAsync(message, _settings, cancellationToken).ConfigureAwait(false);

        // Until the response headers arrive: the caller's token, the channel's abort, and the connect timeout. The body is
        // sent in full before this returns, so the caller's (rented) request bytes are not read afterwards.
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abort);
        headers.CancelAfter(_settings.ConnectTimeout);
        try
        {
            return await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            var timedOut = ex is OperationCanceledException && !abort.IsCancellationRequested;
            throw timedOut
                ? new ResponsesException(ResponsesErrorKind.ConnectionFailed, $"Timed out after {_settings.ConnectTimeout.TotalSeconds:0.#} s waiting for {_safeUri} to answer.", innerException: ex)
                : new ResponsesException(ResponsesErrorKind.ConnectionClosed, $"The HTTP request to {_safeUri} failed before the response started: {ex.Message}", innerException: ex);
        }
    }

    private async Task<ResponsesException> ReadRefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? body = null;
        try
        {
            body = await HttpErrorBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status alone still tells the story.
        }

        var error = HttpErrorBody.Parse(body);
        var message = error?.Message is { Length: > 0 } serviceMessage ? serviceMessage : $"The request to {_safeUri} was refused with HTTP {status}.";
        return new ResponsesException(ResponsesErrorKind.ServiceError, message, error?.Code, status)
        {
            ErrorType = error?.Type,
            Param = error?.Param,
            RetryAfter = RetryAfterHeader.Parse(response.Headers, _settings.TimeProvider),
        };
    }

    private async Task PumpAsync(HttpResponseMessage response, ResponseTurn turn, CancellationToken abort)
    {
        // Every delta of one output item names the same item_id; the parser reuses this string while it matches.
        string? lastItemId = null;
        ResponseWire? lastResponse = null;
        var keepRaw = turn.KeepsRawEvents;
        var maxMessageSize = _settings.MaxMessageSize;
        ResponsesException? failure = null;
        try
        {
            using (response)
            {
                if (response.Content.Headers.ContentType?.MediaType is { } mediaType
                    && !mediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase))
                {
                    // A server that ignored "stream": true answers one JSON body, which would read as an empty event
                    // stream and be resent as a dropped one: it is a protocol violation, said plainly.
                    throw new ResponsesException(ResponsesErrorKind.ProtocolViolation,
                        $"The server answered a streaming request with {mediaType}, not text/event-stream.");
                }

                var stream = new LineLengthLimitedStream(await response.Content.ReadAsStreamAsync(abort).ConfigureAwait(false), maxMessageSize);
                await using (stream.ConfigureAwait(false))
                {
                    var events = SseParser.Create(stream, (eventType, data) =>
                    {
                        // An event of several data lines can still exceed the limit that each line keeps.
                        if (data.Length > maxMessageSize)
                        {
                            throw new ResponsesException(ResponsesErrorKind.ProtocolViolation, $"The server sent an event larger than MaxMessageSize ({maxMessageSize} bytes).");
                        }

                        // "[DONE]" ends some OpenAI-compatible streams; Responses streams end at their terminal event.
                        return data.SequenceEqual("[DONE]"u8) ? null : ServerEventParser.Parse(data, keepRaw, lastItemId, turn.TakeSpare(), lastResponse);
                    });

                    await foreach (var item in events.EnumerateAsync(abort).ConfigureAwait(false))
                    {
                        if (item.Data is not { } evt) continue;
                        lastItemId = evt.ItemId ?? lastItemId;
                        lastResponse = evt.Response ?? lastResponse;
                        if (evt.Response?.Id is { } id) turn.ResponseId ??= id;
                        turn.Write(evt);
                        if (evt.IsTerminal) return;
                    }
                }
            }

            failure = new ResponsesException(ResponsesErrorKind.ConnectionClosed, "The HTTP response ended before the response finished.");
        }
        catch (JsonException ex)
        {
            failure = new ResponsesException(ResponsesErrorKind.ProtocolViolation, $"The server sent an event that is not valid JSON: {ex.Message}", innerException: ex);
        }
        catch (ResponsesException ex)
        {
            failure = ex;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            failure = new ResponsesException(ResponsesErrorKind.ConnectionClosed, "The HTTP response broke before the response finished.", innerException: ex);
        }
#pragma warning disable CA1031 // The pump must never fault: a fault would resurface from DisposeAsync on an unrelated call.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = new ResponsesException(ResponsesErrorKind.ProtocolViolation, $"The client could not process an event from the server: {ex.Message}", innerException: ex);
        }
        finally
        {
            if (failure is not null && !turn.IsFinished)
            {
                if (failure.Kind == ResponsesErrorKind.ProtocolViolation) Log.ConnectionFailed(_logger, Id, failure.Message, failure);
                turn.Fail(failure);
            }

            Log.HttpStreamEnded(_logger, Id);
        }
    }

    private void TimeOut(ResponseTurn turn, CancellationTokenSource abort)
    {
        if (turn.IsFinished) return;
        Log.ResponseTimedOut(_logger, Id, _settings.ResponseIdleTimeout);

        // The turn fails with the timeout first; the pump's "response broke" that the abort causes comes second and is ignored.
        turn.Fail(ResponseIdleWatchdog.Expired(_settings.ResponseIdleTimeout, "request"));
        Cancel(abort);
    }
}
