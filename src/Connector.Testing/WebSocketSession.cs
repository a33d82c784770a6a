using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// One accepted WebSocket connection. A receive loop records every message and routes it to a lane: messages without
/// <c>stream_id</c> go to the default lane, which answers them in order, one response at a time, exactly as a GA
/// connection does; messages with a valid <c>stream_id</c> go to that named lane (protocol.md §5.3), created on first
/// use. Lanes run concurrently and share one send gate, so sends never overlap.
/// </summary>
internal sealed class WebSocketSession
{
    private const int ReceiveBufferSize = 16 * 1024;

    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly int _connectionId;
    private readonly ResponsesEngine _engine;
    private readonly ServerActivity _activity;
    private readonly string _defaultModel;
    private readonly WebSocketEventSink _socketSink;

    // Named lanes, touched only by the receive loop; the states array is replaced, never mutated, because lanes
    // read it concurrently to resolve a cross-lane fork.
    private readonly Dictionary<string, WebSocketLane> _namedLanes = new(StringComparer.Ordinal);
    private ConnectionState[] _laneStates = [];

    // Set once the connection is over for the server (dropped, closed, or gone): counted down exactly once.
    private int _ended;

    public WebSocketSession(WebSocket socket, HttpContext context, int connectionId, ResponsesEngine engine, ServerActivity activity, string defaultModel)
    {
        _socket = socket;
        _context = context;
        _connectionId = connectionId;
        _engine = engine;
        _activity = activity;
        _defaultModel = defaultModel;
        _socketSink = new WebSocketEventSink(socket, context, MarkEnded);
    }

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var sendGate = new SemaphoreSlim(1, 1);
        using var inFlight = new SemaphoreSlim(StreamLanes.MaxInFlight, StreamLanes.MaxInFlight);
        using var lanesStop = new CancellationTokenSource();
        var lanes = new LaneSet(sendGate, inFlight, lanesStop);

        // Abort on server shutdown: it fails the pending receive at once instead of waiting for the client.
        using var shutdown = serverStopping.Register(_context.Abort);
        var defaultLane = StartLane(lanes, streamId: null);
        try
        {
            await ReceiveAsync(lanes, defaultLane).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The client vanished or the server is stopping; nothing is left to answer.
        }
        finally
        {
            MarkEnded();
        }

        defaultLane.Complete();
        foreach (var lane in _namedLanes.Values)
        {
            lane.Complete();
        }

        await lanesStop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(lanes.Running).ConfigureAwait(false);

        // The client started the close handshake: finish it so the client sees a clean close.
        if (_socket.State == WebSocketState.CloseReceived)
        {
            await IgnoreDisconnect(_socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private async Task ReceiveAsync(LaneSet lanes, WebSocketLane defaultLane)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
        var message = new ArrayBufferWriter<byte>(ReceiveBufferSize);
        try
        {
            while (true)
            {
                // CancellationToken.None: a cancelled receive aborts the socket; shutdown aborts the connection instead.
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer.AsSpan(0, result.Count));
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (Volatile.Read(ref _ended) != 0)
                {
                    // A dropped or closed connection no longer exists for the server: ignore what still trickles in.
                }
                else if (result.MessageType == WebSocketMessageType.Text)
                {
                    var received = new ReceivedRequest(_connectionId, "websocket", Encoding.UTF8.GetString(message.WrittenSpan));
                    _activity.RecordRequest(received);
                    await RouteAsync(lanes, defaultLane, message.WrittenSpan, received).ConfigureAwait(false);
                }
                else
                {
                    defaultLane.Post(null);
                }

                message.ResetWrittenCount();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ValueTask RouteAsync(LaneSet lanes, WebSocketLane defaultLane, ReadOnlySpan<byte> utf8, ReceivedRequest received)
    {
        switch (StreamLanes.Classify(utf8, out var streamId))
        {
            case StreamLanes.Kind.Invalid:
                // No lane to echo or evict: the id itself is what is wrong.
                return SendConnectionErrorAsync(lanes, streamId: null, StreamLanes.InvalidStreamId());
            case StreamLanes.Kind.Named:
                if (!_namedLanes.TryGetValue(streamId!, out var lane))
                {
                    if (_namedLanes.Count >= StreamLanes.MaxNamedLanes)
                    {
                        return SendConnectionErrorAsync(lanes, streamId, StreamLanes.StreamLimitReached());
                    }

                    lane = StartLane(lanes, streamId);
                    _namedLanes.Add(streamId!, lane);
                }

                lane.Post(received);
                return ValueTask.CompletedTask;
            default:
                defaultLane.Post(received);
                return ValueTask.CompletedTask;
        }
    }

    private WebSocketLane StartLane(LaneSet lanes, string? streamId)
    {
        var state = new ConnectionState(_connectionId, streamId, FindOnAnyLane);
        var lane = new WebSocketLane(state, new LaneEventSink(_socketSink, lanes.SendGate, streamId), lanes.InFlight, _engine, _context, _defaultModel);
        Volatile.Write(ref _laneStates, [.. _laneStates, state]);
        lanes.Running.Add(RunLaneAsync(lane, lanes.Stop));
        return lane;
    }

    private static async Task RunLaneAsync(WebSocketLane lane, CancellationTokenSource stop)
    {
        // Yield first: the receive loop that starts a lane must not run the lane's first response itself.
        await Task.Yield();
        if (await lane.RunAsync(stop.Token).ConfigureAwait(false))
        {
            // This lane closed or dropped the connection: the other lanes must stop answering too.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private CachedResponse? FindOnAnyLane(string responseId)
    {
        foreach (var state in Volatile.Read(ref _laneStates))
        {
            if (state.MostRecent is { } recent && recent.Id == responseId)
            {
                return recent;
            }
        }

        return null;
    }

    private ValueTask SendConnectionErrorAsync(LaneSet lanes, string? streamId, ApiError error) =>
        new LaneEventSink(_socketSink, lanes.SendGate, streamId).SendEventAsync(new ResponseEvent("error", error.ToWebSocketEvent()), CancellationToken.None);

    private void MarkEnded()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _activity.ConnectionClosed();
        }
    }

    private static async Task IgnoreDisconnect(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or OperationCanceledException)
        {
            // The client left without waiting for our close frame; that is its choice.
        }
    }

    /// <summary>What every lane of this connection shares; created and disposed by <see cref="RunAsync"/>.</summary>
    private sealed record LaneSet(SemaphoreSlim SendGate, SemaphoreSlim InFlight, CancellationTokenSource Stop)
    {
        public List<Task> Running { get; } = [];
    }
}
