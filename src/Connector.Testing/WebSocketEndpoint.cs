using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>Handles <c>GET /v1/responses</c> upgrades: records the headers, applies handshake faults and auth, then runs the session.</summary>
internal sealed class WebSocketEndpoint(
    ResponsesEngine engine,
    ServerActivity activity,
    FaultPlan faults,
    LocalResponsesServerOptions options,
    CancellationToken serverStopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        activity.RecordHandshakeAttempt(context.Request.Headers.Select(header => KeyValuePair.Create(header.Key, header.Value.ToString())));

        if (faults.TryTake(FaultPoint.Handshake, ServerTransport.WebSocket, request: null, out var rejection))
        {
            var body = rejection!.Body is { } custom ? Encoding.UTF8.GetBytes(custom) : DefaultRejectionBody(rejection.StatusCode);
            await JsonReplies.WriteAsync(context.Response, rejection.StatusCode, body).ConfigureAwait(false);
            return;
        }

        if (!RequestAuthorization.IsAuthorized(context.Request, options.ApiKey))
        {
            await JsonReplies.WriteErrorAsync(context.Response, ApiError.InvalidApiKey()).ConfigureAwait(false);
            return;
        }

        // Counted before accepting: the client's ConnectAsync returns as soon as the 101 is out, and a test that
        // then reads HandshakeCount must already see this connection.
        var connectionId = activity.ConnectionOpened();
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        }
        catch
        {
            activity.ConnectionFailed();
            throw;
        }

        using (socket)
        {
            var session = new WebSocketSession(socket, context, connectionId, engine, activity, options.DefaultModel);
            await session.RunAsync(serverStopping).ConfigureAwait(false);
        }
    }

    private static byte[] DefaultRejectionBody(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => ApiError.InvalidApiKey().ToHttpBody(),
        StatusCodes.Status426UpgradeRequired => new ApiError(status, "invalid_request_error", null, "Upgrade Required: WebSocket is not available here.", null).ToHttpBody(),
        _ => new ApiError(status, status >= 500 ? "server_error" : "invalid_request_error", null, $"WebSocket upgrade rejected with status {status}.", null).ToHttpBody(),
    };
}
