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
internal sealed class WebSocketConnection : IAsyncDisposable
{
    private const int ReceiveChunkSize = 16 * 1024;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);
    private static long s_nextId;

    private readonly WebSocket _socket;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _responseIdleTimeout;
    private readonly Action<WebSocketConnection>? _onDisposed;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Task _readerLoop;
    private ResponseTurn? _current;
    private string? _lastTerminalResponseId;
    private volatile bool _broken;

    /// <param name="socket">The open socket (a <see cref="ClientWebSocket"/> in production).</param>
    /// <param name="logger">Where lifecycle events are logged.</param>
    /// <param name="time">The clock for <see cref="OpenedAt"/> and the response idle timeout.</param>
    /// <param name="responseIdleTimeout">The longest silence a response in flight may have, or infinite.</param>
    /// <param name="onDisposed">Told once when the connection is disposed (the connector's registry of live sockets).</param>
    internal WebSocketConnection(WebSocket socket, ILogger logger, TimeProvider time, TimeSpan responseIdleTimeout, Action<WebSocketConnection>? onDisposed = null)
    {
        _socket = socket;
        _logger = logger;
        _time = time;
        _responseIdleTimeout = responseIdleTimeout;
        _onDisposed = onDisposed;
        OpenedAt = time.GetUtcNow();
        Id = Interlocked.Increment(ref s_nextId);
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
    public string? LastResponseId => _lastCachedResponseId;

    private volatile string? _lastCachedResponseId;

    /// <summary>Sends one <c>response.create</c> frame and returns the turn that will receive its events.</summary>
    /// <exception cref="InvalidOperationException">A turn is already in flight.</exception>
    /// <exception cref="ResponsesException">The connection is broken, or the send failed.</exception>
    public async Task<ResponseTurn> SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var turn = new ResponseTurn();
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

        turn.WatchIdle(_time, _responseIdleTimeout, () => TimeOut(turn));
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

    /// <summary>Takes the connection out of service (for example after the service said it reached its time limit).</summary>
    public void Retire() => Break();

    /// <summary>Marks the turn as consumed so that the next one may start.</summary>
    public void Release(ResponseTurn turn)
    {
        turn.StopWatching();
        Interlocked.CompareExchange(ref _current, null, turn);
    }

    /// <summary>Aborts the socket at once, without a close handshake (synchronous disposal of the client).</summary>
    public void Abort() => Break();

    /// <summary>Gets the reader loop, which ends when the socket closes or breaks (and never faults).</summary>
    public Task Completion => _readerLoop;

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
        Log.ResponseTimedOut(_logger, Id, _responseIdleTimeout);

        // The turn fails with the timeout first; the reader loop's "connection broke" that the abort causes comes second
        // and is ignored, so the caller sees why the socket died.
        turn.Fail(new ResponsesException(ResponsesErrorKind.ResponseTimeout,
            $"The server sent no event for {_responseIdleTimeout.TotalSeconds:0.#} s while a response was in flight (ResponseIdleTimeout); the connection was aborted."));
        Break();
    }

    private void Break()
    {
        _broken = true;
        _socket.Abort();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveChunkSize);
        var length = 0;
        ResponsesException? failure = null;
        try
        {
            while (true)
            {
                if (length == 0)
                {
                    // A zero-byte read while idle: no buffer is touched until a message actually arrives.
                    await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                }

                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    failure = new ResponsesException(ResponsesErrorKind.ConnectionClosed,
                        $"The server closed the WebSocket before the response finished ({_socket.CloseStatus} {_socket.CloseStatusDescription}).".Replace(" )", ")", StringComparison.Ordinal));
                    Log.ServerClosed(_logger, Id, _socket.CloseStatus?.ToString(), _socket.CloseStatusDescription);
                    return;
                }

                length += result.Count;
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
                    evt = ServerEventParser.Parse(buffer.AsSpan(0, length));
                }
                catch (JsonException ex)
                {
                    failure = new ResponsesException(ResponsesErrorKind.ProtocolViolation, $"The server sent an event that is not valid JSON: {ex.Message}", innerException: ex);
                    return;
                }

                length = 0;
                Dispatch(evt);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            failure = new ResponsesException(ResponsesErrorKind.ConnectionClosed, "The WebSocket connection broke before the response finished.", innerException: ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _broken = true;
            if (failure is not null && !(failure.Kind == ResponsesErrorKind.ConnectionClosed && _current is null))
            {
                Log.ConnectionFailed(_logger, Id, failure.Message, failure);
            }

            // Protocol violations leave the stream in an unknown state: the socket is not reused.
            if (failure?.Kind == ResponsesErrorKind.ProtocolViolation) _socket.Abort();
            _current?.Fail(failure ?? new ResponsesException(ResponsesErrorKind.ConnectionClosed, "The WebSocket connection closed."));
        }
    }

    private void Dispatch(ServerEvent evt)
    {
        var turn = _current;
        if (evt.IsTerminal && evt.Response?.Id is { } terminalId && terminalId == _lastTerminalResponseId)
        {
            // A second terminal for a response that already ended (response.done after completed, failed after error).
            Log.DroppedTrailingTerminal(_logger, Id, terminalId);
            return;
        }

        if (turn is null || turn.IsFinished)
        {
            if (evt.Type == ServerEventType.Error)
            {
                // An error on an idle socket (such as the 60-minute limit) means this connection should not be reused.
                Log.IdleError(_logger, Id, evt.Error?.Code, evt.Error?.Message);
                _broken = true;
            }

            return;
        }

        if (evt.Response?.Id is { } id) turn.ResponseId ??= id;
        if (evt.IsTerminal)
        {
            _lastTerminalResponseId = evt.Response?.Id ?? turn.ResponseId;

            // Mirror the service's cache: a finished response replaces the cached one; a failed turn evicts it.
            _lastCachedResponseId = evt.Type is ServerEventType.ResponseCompleted or ServerEventType.ResponseIncomplete or ServerEventType.ResponseDone
                ? _lastTerminalResponseId
                : null;
        }

        turn.Write(evt);
    }
}
