using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// One FIFO lane of a WebSocket connection: the default lane (no <c>stream_id</c>), or a named lane of the lanes
/// revision (protocol.md §5.3). It answers its messages in order, one response at a time (creates that arrive
/// meanwhile wait, as the live service queues them), with its own cached state. Lanes of one connection run
/// concurrently, each response holding one of the connection's in-flight slots.
/// </summary>
internal sealed class WebSocketLane
{
    // null marks a binary message, which the protocol does not allow from clients.
    private readonly Channel<ReceivedRequest?> _inbox = Channel.CreateUnbounded<ReceivedRequest?>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConnectionState _state;
    private readonly IEventSink _sink;
    private readonly SemaphoreSlim _inFlight;
    private readonly ResponsesEngine _engine;
    private readonly HttpContext _context;
    private readonly string _defaultModel;

    public WebSocketLane(ConnectionState state, IEventSink sink, SemaphoreSlim inFlight, ResponsesEngine engine, HttpContext context, string defaultModel)
    {
        _state = state;
        _sink = sink;
        _inFlight = inFlight;
        _engine = engine;
        _context = context;
        _defaultModel = defaultModel;
    }

    public ConnectionState State => _state;

    public void Post(ReceivedRequest? message) => _inbox.Writer.TryWrite(message);

    public void Complete() => _inbox.Writer.TryComplete();

    /// <summary>Answers messages until the inbox completes or <paramref name="cancellationToken"/> fires.</summary>
    /// <returns>Whether a response ended the connection (closed or dropped it), so no lane may answer any more.</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                DeliveryOutcome outcome;
                await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    outcome = await HandleAsync(message, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _inFlight.Release();
                }

                if (outcome != DeliveryOutcome.Delivered)
                {
                    // Closed or dropped (the sink has already counted the connection as gone): later messages go unanswered.
                    return true;
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

        return false;
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
}
