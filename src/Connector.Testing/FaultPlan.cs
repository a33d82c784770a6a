using System.Net.WebSockets;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// A FIFO queue of faults for <see cref="LocalResponsesServer"/>. Each fault is consumed once, by the next point in the
/// server's flow it applies to: a WebSocket upgrade, a create request, or a response. At most one fault is consumed
/// per point, so two response faults affect two consecutive responses. Faults that only exist on a socket (rejected
/// handshake, connection limit, binary frame) stay queued while HTTP requests pass, and the HTTP rejection
/// (<see cref="RejectNextHttpRequest"/>) stays queued while WebSocket requests pass; the others apply to both.
/// When several responses are in flight at once, "the next" is whichever session gets there first: target the fault
/// with <see cref="When"/> (by request content, connection or order of receipt) so it cannot hit the wrong response.
/// </summary>
public sealed class FaultPlan
{
    private readonly Lock _gate;
    private readonly List<InjectedFault> _queue;
    private readonly Func<ReceivedRequest, bool>? _target;

    /// <summary>Creates an empty plan; a server makes its own, reachable as <see cref="LocalResponsesServer.Faults"/>.</summary>
    public FaultPlan()
        : this(new Lock(), [], null)
    {
    }

    private FaultPlan(Lock gate, List<InjectedFault> queue, Func<ReceivedRequest, bool>? target)
    {
        _gate = gate;
        _queue = queue;
        _target = target;
    }

    /// <summary>
    /// A view of this plan whose create and response faults apply only to requests matching <paramref name="target"/>,
    /// e.g. <c>server.Faults.When(r =&gt; r.LastUserText == "first").PauseAfterEvents(4, release)</c>, or
    /// <c>r.ConnectionId == 2</c>, or <c>r.Sequence == 3</c> (the third request received). Requests that do not match
    /// pass it by and the fault stays queued for a later one that does. The view shares this plan's queue
    /// (<see cref="PendingCount"/>, <see cref="Clear"/>); calling <see cref="When"/> on a view narrows it further.
    /// Handshake faults cannot be targeted: no request exists yet.
    /// </summary>
    /// <param name="target">Selects the request the fault is for; it runs on the server while the plan is locked, so keep it quick and pure.</param>
    /// <returns>The targeted view.</returns>
    public FaultPlan When(Func<ReceivedRequest, bool> target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var outer = _target;
        return new FaultPlan(_gate, _queue, outer is null ? target : request => outer(request) && target(request));
    }

    /// <summary>How many faults are still queued.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// The next WebSocket upgrade is answered with this status instead of 101 (e.g. 401, 426, 429, 500). To refuse
    /// every upgrade, as a server without WebSocket mode does, use <see cref="LocalResponsesServer.RefuseWebSocketUpgrades"/>.
    /// </summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="jsonBody">The response body; <see langword="null"/> selects an OpenAI-style JSON error.</param>
    /// <param name="retryAfter">When set, the answer carries <c>Retry-After: &lt;seconds&gt;</c>, rounded up to whole seconds.</param>
    /// <exception cref="InvalidOperationException">On a view made by <see cref="When"/>: a handshake carries no request to match.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retryAfter"/> is negative.</exception>
    public void RejectNextHandshake(int statusCode, string? jsonBody = null, TimeSpan? retryAfter = null)
    {
        if (_target is not null)
        {
            throw new InvalidOperationException("A handshake fault cannot target a request: none exists before the upgrade.");
        }

        Add(new InjectedFault(FaultKind.RejectHandshake) { StatusCode = statusCode, Body = jsonBody, RetryAfter = Rejections.CheckRetryAfter(retryAfter) });
    }

    /// <summary>
    /// The next <c>POST /v1/responses</c> is answered with this status and a JSON error body before anything else,
    /// streaming or not (e.g. 429 with a <c>Retry-After</c>, 503, 401): no SSE stream starts and no response is created.
    /// WebSocket requests pass it by. Target it with <see cref="When"/> like a create fault.
    /// </summary>
    /// <param name="statusCode">The HTTP status, 400 to 599.</param>
    /// <param name="jsonBody">The response body; <see langword="null"/> selects an OpenAI-style error for the status
    /// (429: <c>rate_limit_exceeded</c>; 401: <c>invalid_api_key</c>).</param>
    /// <param name="retryAfter">When set, the answer carries <c>Retry-After: &lt;seconds&gt;</c>, rounded up to whole seconds.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not an error status, or <paramref name="retryAfter"/> is negative.</exception>
    public void RejectNextHttpRequest(int statusCode, string? jsonBody = null, TimeSpan? retryAfter = null) =>
        Add(new InjectedFault(FaultKind.RejectHttpRequest)
        {
            StatusCode = Rejections.CheckErrorStatus(statusCode, nameof(statusCode)),
            Body = jsonBody,
            RetryAfter = Rejections.CheckRetryAfter(retryAfter),
        });

    /// <summary>
    /// The next create request gets an <c>error</c> event instead of a response (nested on WebSocket; an SSE
    /// <c>error</c> event, or this HTTP status when not streaming). Like every error, it evicts the connection's cache.
    /// </summary>
    /// <param name="code">The <c>error.code</c>.</param>
    /// <param name="message">The <c>error.message</c>.</param>
    /// <param name="status">The HTTP status the error carries.</param>
    /// <param name="type">The <c>error.type</c>.</param>
    /// <param name="param">The <c>error.param</c>.</param>
    public void ErrorOnNextCreate(string? code, string message, int status = 400, string type = "invalid_request_error", string? param = null) =>
        Add(new InjectedFault(FaultKind.ErrorOnCreate) { StatusCode = status, Error = new ApiError(status, type, code, message, param) });

    /// <summary>The next response goes <c>response.created</c>, <c>response.in_progress</c>, then <c>response.failed</c>; it evicts the cache.</summary>
    /// <param name="code">The <c>response.error.code</c>.</param>
    /// <param name="message">The <c>response.error.message</c>.</param>
    public void FailNextResponse(string code, string message) =>
        Add(new InjectedFault(FaultKind.FailResponse) { Error = new ApiError(500, "server_error", code, message, null) });

    /// <summary>The next response goes <c>response.created</c>, <c>error</c>, then <c>response.failed</c>: two terminal events, as the live service sometimes sends.</summary>
    /// <param name="code">The error code used in both terminal events.</param>
    /// <param name="message">The error message used in both terminal events.</param>
    public void ErrorThenFailedOnNextResponse(string code, string message) =>
        Add(new InjectedFault(FaultKind.ErrorThenFailed) { Error = new ApiError(400, code, code, message, null) });

    /// <summary>
    /// The next response sends its first <paramref name="eventCount"/> events, then an <c>error</c> event instead of
    /// the rest (nested with <c>status</c> on WebSocket, an SSE <c>error</c> event over HTTP, after which the stream
    /// ends; without <c>stream</c>, that status with a JSON error body): a failure after output may have been
    /// surfaced. The socket stays open, and like every error it evicts the connection's cache. Raw replies ignore it.
    /// </summary>
    /// <param name="eventCount">How many of the response's events are delivered first (e.g. past the first text delta).</param>
    /// <param name="code">The <c>error.code</c>.</param>
    /// <param name="message">The <c>error.message</c>.</param>
    /// <param name="status">The HTTP status the error carries.</param>
    /// <param name="type">The <c>error.type</c>.</param>
    public void ErrorAfterEvents(int eventCount, string? code, string message, int status = 500, string type = "server_error") =>
        Add(new InjectedFault(FaultKind.ErrorAfterEvents) { EventCount = NotNegative(eventCount), Error = new ApiError(status, type, code, message, null) });

    /// <summary>The next response sends <paramref name="eventCount"/> events, then the TCP connection is aborted without a close handshake.</summary>
    /// <param name="eventCount">How many of the response's events are delivered first.</param>
    public void DropConnectionAfterEvents(int eventCount) =>
        Add(new InjectedFault(FaultKind.DropAfterEvents) { EventCount = NotNegative(eventCount) });

    /// <summary>The next response sends <paramref name="eventCount"/> events, then the server closes gracefully (over HTTP: the stream just ends).</summary>
    /// <param name="eventCount">How many of the response's events are delivered first.</param>
    /// <param name="status">The WebSocket close status.</param>
    /// <param name="description">The WebSocket close description.</param>
    public void CloseConnectionAfterEvents(int eventCount, WebSocketCloseStatus status = WebSocketCloseStatus.NormalClosure, string? description = null) =>
        Add(new InjectedFault(FaultKind.CloseAfterEvents) { EventCount = NotNegative(eventCount), CloseStatus = status, CloseDescription = description });

    /// <summary>The next response sends <paramref name="eventCount"/> events, waits for <paramref name="release"/>, then continues.</summary>
    /// <param name="eventCount">How many of the response's events are delivered before the pause.</param>
    /// <param name="release">Completes when the response may continue (e.g. a <see cref="TaskCompletionSource"/>'s task).</param>
    public void PauseAfterEvents(int eventCount, Task release)
    {
        ArgumentNullException.ThrowIfNull(release);
        Add(new InjectedFault(FaultKind.PauseAfterEvents) { EventCount = NotNegative(eventCount), Release = release });
    }

    /// <summary>Sends this raw text (e.g. malformed JSON) as its own message before the next response's events.</summary>
    /// <param name="text">The text frame (over SSE: one <c>data:</c> line).</param>
    public void SendRawBeforeNextResponse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Add(new InjectedFault(FaultKind.SendRawBefore) { RawText = text });
    }

    /// <summary>Sends a binary WebSocket message before the next response's events.</summary>
    /// <param name="data">The payload.</param>
    public void SendBinaryBeforeNextResponse(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Add(new InjectedFault(FaultKind.SendBinaryBefore) { BinaryData = data });
    }

    /// <summary>After the next response's terminal event, also sends <c>response.done</c> for the same response (a second terminal).</summary>
    public void SendTrailingTerminalAfterNextResponse() => Add(new InjectedFault(FaultKind.TrailingTerminal));

    /// <summary>The next WebSocket create gets the 60-minute <c>websocket_connection_limit_reached</c> error, then the server closes the socket.</summary>
    public void ConnectionLimitOnNextCreate() =>
        Add(new InjectedFault(FaultKind.ConnectionLimitOnCreate) { Error = ApiError.ConnectionLimitReached() });

    /// <summary>Removes every queued fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _queue.Clear();
        }
    }

    /// <summary>Takes the first queued fault for this point and transport whose target (if any) matches <paramref name="request"/>.</summary>
    internal bool TryTake(FaultPoint point, ServerTransport transport, ReceivedRequest? request, out InjectedFault? fault)
    {
        lock (_gate)
        {
            var index = _queue.FindIndex(candidate => candidate.Point == point
                && candidate.AppliesTo(transport)
                && (candidate.Target is null || (request is not null && candidate.Target(request))));
            if (index < 0)
            {
                fault = null;
                return false;
            }

            fault = _queue[index];
            _queue.RemoveAt(index);
            return true;
        }
    }

    private static int NotNegative(int eventCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventCount);
        return eventCount;
    }

    private void Add(InjectedFault fault)
    {
        lock (_gate)
        {
            _queue.Add(fault with { Target = _target });
        }
    }
}
