using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// One accepted WebSocket connection. A receive loop records and queues every message; a single processing loop
/// answers them in order, one response at a time (creates that arrive meanwhile wait, FIFO, as the live service
/// queues them). Only the processing loop sends, so sends never overlap.
/// </summary>
internal sealed class WebSocketSession
{
    private const int ReceiveBufferSize = 16 * 1024;

    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly ResponsesEngine _engine;
    private readonly ServerActivity _activity;
    private readonly string _defaultModel;
    private readonly ConnectionState _state;
    private readonly WebSocketEventSink _sink;

    // null marks a binary message, which the protocol does not allow from clients.
    private readonly Channel<ReceivedRequest?> _inbox = Channel.CreateUnbounded<ReceivedRequest?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    // Set once the connection is over for the server (dropped, closed, or gone): counted down exactly once.
    private int _ended;

    public WebSocketSession(WebSocket socket, HttpContext context, int connectionId, ResponsesEngine engine, ServerActivity activity, string defaultModel)
    {
        _socket = socket;
        _context = context;
        _engine = engine;
        _activity = activity;
        _defaultModel = defaultModel;
        _state = new ConnectionState(connectionId);
        _sink = new WebSocketEventSink(socket, context, MarkEnded);
    }

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var processingStop = new CancellationTokenSource();

        // Abort on server shutdown: it fails the pending receive at once instead of waiting for the client.
        using var shutdown = serverStopping.Register(_context.Abort);
        var processing = ProcessAsync(processingStop.Token);
        try
        {
            await ReceiveAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The client vanished or the server is stopping; nothing is left to answer.
        }
        finally
        {
            MarkEnded();
        }

        _inbox.Writer.TryComplete();
        await processingStop.CancelAsync().ConfigureAwait(false);
        await processing.ConfigureAwait(false);

        // The client started the close handshake: finish it so the client sees a clean close.
        if (_socket.State == WebSocketState.CloseReceived)
        {
            await IgnoreDisconnect(_socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)).ConfigureAwait(false);
        }
    }

    private async Task ReceiveAsync()
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
                    var received = new ReceivedRequest(_state.Id, "websocket", Encoding.UTF8.GetString(message.WrittenSpan));
                    _activity.RecordRequest(received);
                    _inbox.Writer.TryWrite(received);
                }
                else
                {
                    _inbox.Writer.TryWrite(null);
                }

                message.ResetWrittenCount();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ProcessAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var outcome = await HandleAsync(message, cancellationToken).ConfigureAwait(false);
                if (outcome != DeliveryOutcome.Delivered)
                {
                    // Closed or dropped (the sink has already counted the connection as gone): later messages go unanswered.
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The connection ended mid-response; the receive loop notices and finishes the session.
        }
        catch
        {
            // A server bug: kill the connection so the client fails fast instead of waiting on a silent socket.
            _context.Abort();
            throw;
        }
    }

    private void MarkEnded()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _activity.ConnectionClosed();
        }
    }

    private async Task<DeliveryOutcome> HandleAsync(ReceivedRequest? message, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            return await SendErrorAsync(ApiError.Invalid("Binary WebSocket messages are not supported; send each event as a JSON text message.")).ConfigureAwait(false);
        }

        if (!CreateRequest.TryParse(message.Json, _defaultModel, out var request, out var parseError))
        {
            return await SendErrorAsync(parseError!).ConfigureAwait(false);
        }

        if (request!.Type != "response.create")
        {
            var error = request.Type is null
                ? ApiError.Invalid("Missing required parameter: 'type'.", "type", "missing_required_parameter")
                : ApiError.Invalid($"Invalid value: '{request.Type}'. Supported values are: 'response.create'.", "type", "invalid_value");
            return await SendErrorAsync(error).ConfigureAwait(false);
        }

        if (request.HasBackground)
        {
            return await SendErrorAsync(ApiError.Invalid("The 'background' parameter is not supported over WebSocket.", "background")).ConfigureAwait(false);
        }

        var prepared = _engine.Prepare(request, message, _state, ServerTransport.WebSocket);
        if (prepared.Error is { } preparedError)
        {
            await _sink.SendEventAsync(new ResponseEvent("error", preparedError.ToWebSocketEvent()), cancellationToken).ConfigureAwait(false);
            if (prepared.CloseAfterError)
            {
                await _sink.CloseAsync(WebSocketCloseStatus.NormalClosure, "websocket_connection_limit_reached").ConfigureAwait(false);
                return DeliveryOutcome.Closed;
            }

            return DeliveryOutcome.Delivered;
        }

        return await ResponseDelivery.DeliverAsync(prepared.Plan!.Events, prepared.DeliveryFault, _sink, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeliveryOutcome> SendErrorAsync(ApiError error)
    {
        ResponsesEngine.Evict(_state);
        await _sink.SendEventAsync(new ResponseEvent("error", error.ToWebSocketEvent()), CancellationToken.None).ConfigureAwait(false);
        return DeliveryOutcome.Delivered;
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
}
