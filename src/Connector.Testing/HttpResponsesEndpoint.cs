using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Handles <c>POST /v1/responses</c>: a JSON Response, or with <c>"stream":true</c> the same events as WebSocket mode
/// over SSE. Continuation over HTTP resolves only stored responses; <c>generate</c> is rejected as the live API does.
/// </summary>
internal sealed class HttpResponsesEndpoint(
    ResponsesEngine engine,
    ServerActivity activity,
    FaultPlan faults,
    LocalResponsesServerOptions options,
    CancellationToken serverStopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await HandleCoreAsync(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client went away, a fault dropped the connection, or the server is stopping mid-response.
        }
    }

    private async Task HandleCoreAsync(HttpContext context)
    {
        if (!RequestAuthorization.IsAuthorized(context.Request, options.ApiKey))
        {
            await JsonReplies.WriteErrorAsync(context.Response, ApiError.InvalidApiKey()).ConfigureAwait(false);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, serverStopping);
        string body;
        using (var reader = new StreamReader(context.Request.Body))
        {
            body = await reader.ReadToEndAsync(stop.Token).ConfigureAwait(false);
        }

        var received = new ReceivedRequest(0, "http", body);
        activity.RecordRequest(received);

        // Before parsing, as a rate limiter or overloaded front end answers: a plain status, never an SSE stream.
        if (faults.TryTake(FaultPoint.HttpRequest, ServerTransport.Http, received, out var rejection))
        {
            await Rejections.WriteAsync(context.Response, rejection!.StatusCode, rejection.Body, rejection.RetryAfter, upgrade: false).ConfigureAwait(false);
            return;
        }

        if (!CreateRequest.TryParse(body, options.DefaultModel, out var request, out var parseError))
        {
            await JsonReplies.WriteErrorAsync(context.Response, parseError!).ConfigureAwait(false);
            return;
        }

        if (request!.HasGenerate)
        {
            // The live API answers exactly this when a client forwards the WebSocket-only warmup flag (protocol.md §3.4).
            var unsupported = ApiError.Invalid("Unsupported parameter: generate", "generate", "unsupported_parameter");
            await JsonReplies.WriteErrorAsync(context.Response, unsupported).ConfigureAwait(false);
            return;
        }

        if (request.Root.TryGetProperty("stream_id", out _))
        {
            // Lanes exist only on a socket: "stream_id is WebSocket-only and is not part of POST /v1/responses" (Spec).
            var unknown = ApiError.Invalid("Unknown parameter: 'stream_id'.", "stream_id", "unknown_parameter");
            await JsonReplies.WriteErrorAsync(context.Response, unknown).ConfigureAwait(false);
            return;
        }

        var prepared = engine.Prepare(request, received, connection: null, ServerTransport.Http);
        if (prepared.Error is { } error)
        {
            if (prepared.ErrorInjected && request.Stream)
            {
                ServerSentEventSink.StartStream(context.Response);
                await new ServerSentEventSink(context).SendEventAsync(new ResponseEvent("error", error.ToServerSentEvent(0)), stop.Token).ConfigureAwait(false);
            }
            else
            {
                await JsonReplies.WriteErrorAsync(context.Response, error).ConfigureAwait(false);
            }

            return;
        }

        var plan = prepared.Plan!;
        IEventSink sink = request.Stream ? new ServerSentEventSink(context) : new DiscardingEventSink(context);
        if (request.Stream)
        {
            ServerSentEventSink.StartStream(context.Response);
        }

        var outcome = await ResponseDelivery.DeliverAsync(plan.Events, prepared.DeliveryFault, sink, stop.Token).ConfigureAwait(false);
        if (outcome == DeliveryOutcome.Dropped)
        {
            await ConnectionDropper.WaitForClientToLeaveAsync(context, stop.Token).ConfigureAwait(false);
        }
        else if (!request.Stream && plan.StreamError is { } streamError)
        {
            // Without a stream there is nothing to cut short: the client sees the error that ended the response.
            await JsonReplies.WriteErrorAsync(context.Response, streamError).ConfigureAwait(false);
        }
        else if (!request.Stream && plan.FinalResponseJson is { } final)
        {
            await JsonReplies.WriteAsync(context.Response, StatusCodes.Status200OK, final).ConfigureAwait(false);
        }
        else if (!request.Stream)
        {
            // Only a raw reply can lack a final response object; there is nothing truthful to return but an error.
            var missing = new ApiError(500, "server_error", "server_error", "The raw reply has no terminal event carrying a response object.", null);
            await JsonReplies.WriteErrorAsync(context.Response, missing).ConfigureAwait(false);
        }
    }
}
