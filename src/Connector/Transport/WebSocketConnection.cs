using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// One open WebSocket to <c>/v1/responses</c>: a permanent reader loop, serialized sends, at most one response in flight.
/// </summary>
/// <remarks>
/// Thread-safety contract: <see cref="SendAsync"/> must not be called while a turn is in flight (the owner serializes
/// turns); the reader loop runs on its own and never takes the caller's token, because cancelling a pending receive
/// aborts the socket. An abandoned response cannot be skipped (the protocol has no cancel), so abandoning a turn
/// aborts the connection; owners then open a new one.
/// </remarks>
internal sealed class WebSocketConnection : IResponseChannel
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;

    // The events its turns' consumers are done with, parsed into again by the next events (see ServerEventPool).
    private readonly ServerEventPool _events = new();

    // The idle watchdog's callback, made once for all turns (the turn is its state).
    private readonly Action<object?> _timeOut;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _responseIdleTimeout;
    private readonly Action<IResponseChannel>? _onDisposed;
    private readonly int _maxMessageSize;
    private readonly ArrayPool<byte>? _receivePool;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly StrayEventFilter _strays = new();
    private readonly Task _readerLoop;
    private ResponseTurn? _current;
    private string? _lastTerminalResponseId;
    private bool _servedTurn;
    private volatile bool _broken;

    /// <param name="socket">The open socket (a <see cref="ClientWebSocket"/> in production).</param>
    /// <param name="logger">Where lifecycle events are logged.</param>
    /// <param name="time">The clock for <see cref="OpenedAt"/> and the response idle timeout.</param>
    /// <param name="responseIdleTimeout">The longest silence a response in flight may have, or infinite.</param>
    /// <param name="onDisposed">Told once when the connection is disposed (the connector's registry of live sockets).</param>
    /// <param name="maxMessageSize">The largest server message accepted (see <see cref="TransportSettings.MaxMessageSize"/>).</param>
    /// <param name="receivePool">Where the receive buffer rents its arrays; the shared pool when null (tests pass their own).</param>
    internal WebSocketConnection(WebSocket socket, ILogger logger, TimeProvider time, TimeSpan responseIdleTimeout, Action<IResponseChannel>? onDisposed = null, int maxMessageSize = TransportSettings.DefaultMaxMessageSize, ArrayPool<byte>? receivePool = null)
    {
        _socket = socket;
        _receivePool = receivePool;
        _maxMessageSize = maxMessageSize;
        _logger = logger;
        _time = time;
        _responseIdleTimeout = responseIdleTimeout;
        _onDisposed = onDisposed;
        _timeOut = turn => TimeOut((ResponseTurn)turn!);
        OpenedAt = time.GetUtcNow();
        Id = ChannelIds.Next();
        _readerLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Gets a process-unique id for logs.</summary>
    public long Id { get; }

    /// <summary>Gets when the connection was opened (for the 60-minute limit).</summary>
    public DateTimeOffset OpenedAt { get; }

    /// <summary>Gets whether the socket is open and not broken (a turn may be in flight).</summary>
    public bool IsOpen => !_broken && _socket.State == WebSocketState.Open;

    /// <summary>Gets whether the connection can take another turn.</summary>
    public bool IsUsable => IsOpen && _current is null;

    /// <summary>
    /// Gets the id of the latest response that completed on this socket: the one the service keeps in its
    /// connection-local cache. <see langword="null"/> after an error or failed response, which evict the cache.
    /// </summary>
    public string? CachedResponseId => _lastCachedResponseId;

    /// <inheritdoc/>
    public RequestTransport Transport => RequestTransport.WebSocket;

    private volatile string? _lastCachedResponseId;

    /// <summary>Sends one <c>response.create</c> frame and returns the turn that will receive its events.</summary>
    /// <exception cref="InvalidOperationException">A turn is already in flight.</exception>
    /// <exception cref="ResponsesException">The connection is broken, or the send failed.</exception>
    /// <param name="frame">The frame.</param>
    /// <param name="keepRawEvents">Keep every event's JSON (<see cref="ServerEvent.Raw"/>) for the updates; <see langword="false"/>
    /// keeps it only where it becomes content (a non-streaming call, whose updates are merged without their raw events).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    // Once per turn; when the send does not complete synchronously, the pooling builder reuses its state machine box.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ResponseTurn> SendAsync(ReadOnlyMemory<byte> frame, bool keepRawEvents, CancellationToken cancellationToken)
    {
        var turn = new ResponseTurn(_events) { KeepsRawEvents = keepRawEvents };
        if (Interlocked.CompareExchange(ref _current, turn, null) is not null)
        {
            throw new InvalidOperationException("A response is already in flight on this connection.");
        }

        if (_broken)
        {
            _current = null;
            throw new ResponsesException(ResponsesErrorKind.ConnectionClosed, "The WebSocket connection is closed.");
        }

        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _current = null;
            throw;
        }

        try
        {
            // The caller's token may abort the socket mid-send; that is acceptable, because a half-sent frame
            // leaves the connection unusable anyway and the owner replaces it.
            await _socket.SendAsync(frame, WebSocketMessageType.Text, WebSocketMessageFlags.EndOfMessage, cancellationToken).ConfigureAwait(false);
            Log.FrameSent(_logger, Id, frame.Length);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Break();
            throw;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Only the caller's own token may surface as cancellation. A socket that the reader loop aborted while this
            // send was under way (the peer reset the connection just after a terminal event) makes the send throw
            // OperationCanceledException wrapping "Broken pipe": that is a broken connection, which the owner resends.
            Break();
            throw new ResponsesException(ResponsesErrorKind.ConnectionClosed, "The WebSocket connection broke while sending the request.", innerException: ex);
        }
        finally
        {
            _sendLock.Release();
        }

        turn.WatchIdle(_time, _responseIdleTimeout, _timeOut, turn);
        return turn;
    }

    /// <summary>Abandons the in-flight turn: the rest of its events cannot be skipped, so the socket is aborted.</summary>
    public void Abandon()
    {
        if (_current is { IsFinished: false })
        {
            Log.TurnAbandoned(_logger, Id);
            Break();
        }
    }

    /// <summary>
    /// Takes the connection out of service at once, aborting the socket without a close handshake (after the service said it
    /// reached its time limit, or when the client is disposed synchronously).
    /// </summary>
    public void Retire() => Break();

    /// <summary>Marks the turn as consumed so that the next one may start.</summary>
    public void Release(ResponseTurn turn)
    {
        turn.StopWatching();
        Interlocked.CompareExchange(ref _current, null, turn);
    }

    /// <summary>Closes the connection: a close handshake when idle, an abort otherwise.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_broken && _socket.State == WebSocketState.Open && _current is null)
        {
            try
            {
                // Send our close, then let the reader loop receive the server's; CloseAsync would race the loop's receive.
                using var timeout = new CancellationTokenSource(CloseTimeout);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", timeout.Token).ConfigureAwait(false);
                await _readerLoop.WaitAsync(CloseTimeout).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException or IOException or ObjectDisposedException)
            {
                // Closing is best effort; the abort below releases the socket either way.
            }
        }

        Break();
        await _readerLoop.ConfigureAwait(false);
        _socket.Dispose();
        _onDisposed?.Invoke(this);
    }

    private void TimeOut(ResponseTurn turn)
    {
        // A response whose terminal event arrived before its watchdog was armed has nothing left to wait for.
        if (turn.IsFinished) return;
        Log.ResponseTimedOut(_logger, Id, _responseIdleTimeout);

        // The turn fails with the timeout first; the reader loop's "connection broke" that the abort causes comes second
        // and is ignored, so the caller sees why the socket died.
        turn.Fail(ResponseIdleWatchdog.Expired(_responseIdleTimeout, "connection"));
        Break();
    }

    private void Break()
    {
        _broken = true;
        _socket.Abort();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new ReceiveBuffer(_maxMessageSize, _receivePool);
        ResponsesException? failure = null;

        // The turn in flight when the current message began to arrive; null when it began between turns. A message that
        // began before a turn was sent cannot be that turn's (a late error, trailing garbage of the last response), so
        // it never fails or feeds it.
        ResponseTurn? owner = null;

        // Every delta of one output item names the same item_id; the parser reuses this string while it matches.
        string? lastItemId = null;

        // Every snapshot of one response repeats its id and model; the parser reuses those strings while they match.
        ResponseWire? lastResponse = null;
        try
        {
            while (true)
            {
                if (buffer.Length == 0)
                {
                    // A zero-byte read while idle: no buffer is touched until a message actually arrives.
                    await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                    owner = Volatile.Read(ref _current) is { IsFinished: false } inFlight ? inFlight : null;
                }

                if (!buffer.TryGetFreeSpace(out var free))
                {
                    // Enforced while receiving: the rest of an oversized message is never read, the socket is aborted.
                    failure = new ResponsesException(ResponsesErrorKind.ProtocolViolation,
                        $"The server sent a WebSocket message larger than MaxMessageSize ({_maxMessageSize} bytes).");
                    return;
                }

                var result = await _socket.ReceiveAsync(free, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    failure = new ResponsesException(ResponsesErrorKind.ConnectionClosed,
                        $"The server closed the WebSocket before the response finished ({_socket.CloseStatus} {_socket.CloseStatusDescription}).".Replace(" )", ")", StringComparison.Ordinal));
                    Log.ServerClosed(_logger, Id, _socket.CloseStatus?.ToString(), _socket.CloseStatusDescription);
                    return;
                }

                buffer.Advance(result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    failure = new ResponsesException(ResponsesErrorKind.ProtocolViolation, "The server sent a binary WebSocket message; Responses events are JSON text.");
                    return;
                }

                ServerEvent evt;
                try
                {
                    evt = ServerEventParser.Parse(buffer.WrittenSpan, owner?.KeepsRawEvents ?? true, lastItemId, owner?.TakeSpare(), lastResponse);
                }
                catch (JsonException ex)
                {
                    failure = new ResponsesException(ResponsesErrorKind.ProtocolViolation, $"The server sent an event that is not valid JSON: {ex.Message}", innerException: ex);
                    return;
                }

                buffer.Reset();
                lastItemId = evt.ItemId ?? lastItemId;
                lastResponse = evt.Response ?? lastResponse;
                Dispatch(evt, owner);

                // Idle until the next turn (no response in flight): the array goes back to the pool, and the zero-byte read
                // above waits without one, so an idle socket holds no receive buffer.
                if (Volatile.Read(ref _current) is not { IsFinished: false }) buffer.ReleaseArray();
            }
        }
        catch (WebSocketException ex) when (ex.WebSocketErrorCode == WebSocketError.Faulted && ex.InnerException is null)
        {
            // ClientWebSocket's own check of what the server sent (invalid UTF-8 in a text message, reserved bits, a bad
            // frame): deterministic, so not transient. Transport failures carry an inner exception or another code.
            failure = new ResponsesException(ResponsesErrorKind.ProtocolViolation, $"The server broke the WebSocket protocol (for example invalid UTF-8 in a text message): {ex.Message}", innerException: ex);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            failure = new ResponsesException(ResponsesErrorKind.ConnectionClosed, "The WebSocket connection broke before the response finished.", innerException: ex);
        }
#pragma warning disable CA1031 // The loop must never fault: a fault would resurface from DisposeAsync on an unrelated call.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = new ResponsesException(ResponsesErrorKind.ProtocolViolation, $"The client could not process an event from the server: {ex.Message}", innerException: ex);
        }
        finally
        {
            buffer.Dispose();
            _broken = true;
            if (failure is not null && !(failure.Kind == ResponsesErrorKind.ConnectionClosed && _current is null))
            {
                Log.ConnectionFailed(_logger, Id, failure.Message, failure);
            }

            // Protocol violations leave the stream in an unknown state: the socket is not reused.
            if (failure?.Kind == ResponsesErrorKind.ProtocolViolation) _socket.Abort();
            var current = Volatile.Read(ref _current);
            if (failure?.Kind == ResponsesErrorKind.ProtocolViolation && current is not null
                && (!ReferenceEquals(owner, current) || (current.EventCount == 0 && _servedTurn)))
            {
                // The bad message began before this turn was in flight, or arrived before anything of its response on a
                // socket that already served one: it may well be trailing garbage of the previous response. The turn
                // only lost its socket before receiving anything, which its owner replays once on a new one.
                failure = new ResponsesException(ResponsesErrorKind.ConnectionClosed,
                    "The WebSocket connection was dropped before the response started, after the server sent an invalid message: " + failure.Message,
                    innerException: failure);
            }

            current?.Fail(failure ?? new ResponsesException(ResponsesErrorKind.ConnectionClosed, "The WebSocket connection closed."));
            Log.ReaderStopped(_logger, Id);
        }
    }

    private void Dispatch(ServerEvent evt, ResponseTurn? owner)
    {
        // Only the turn the message arrived for may receive it (see ReadLoopAsync).
        var turn = ReferenceEquals(owner, Volatile.Read(ref _current)) ? owner : null;

        // Unless the turn in flight has itself started a response with that id: a server that reuses ids (a counter per
        // connection) would otherwise have every later response's terminal dropped, and the call wait for the timeout.
        if (evt.IsTerminal && evt.Response?.Id is { } terminalId && terminalId == _lastTerminalResponseId
            && !(turn is { IsFinished: false } && turn.ResponseId == terminalId))
        {
            // A second terminal for a response that already ended (response.done after completed, failed after error).
            Log.DroppedTrailingTerminal(_logger, Id, terminalId);
            return;
        }

        if (turn is null || turn.IsFinished)
        {
            if (evt.Type == ServerEventType.Error)
            {
                // An error on an idle socket (such as the 60-minute limit, or a late error of the last response) means this
                // connection should not be reused; the next call opens a new one instead of reading this error.
                Log.IdleError(_logger, Id, evt.Error?.Code, evt.Error?.Message);
                _broken = true;
            }
            else if (evt.Type != ServerEventType.Unknown)
            {
                Log.DroppedStrayEvent(_logger, Id, evt.Type, "no response is in flight");
            }

            return;
        }

        if (_strays.Check(evt, turn) is { } reason)
        {
            Log.DroppedStrayEvent(_logger, Id, evt.Type, reason);
            return;
        }

        if (evt.Response?.Id is { } id) turn.ResponseId ??= id;
        if (evt.IsTerminal)
        {
            _servedTurn = true;
            // The turn's (first) id, as the mapper reports and the transcript records it: the chain check compares them.
            _lastTerminalResponseId = turn.ResponseId ?? evt.Response?.Id;

            // Mirror the service's cache: a finished response replaces the cached one; a failed turn evicts it.
            _lastCachedResponseId = evt.Type is ServerEventType.ResponseCompleted or ServerEventType.ResponseIncomplete or ServerEventType.ResponseDone
                ? _lastTerminalResponseId
                : null;
        }

        turn.Write(evt);
    }
}
