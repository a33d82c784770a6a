using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Handles <c>GET /v1/responses</c> upgrades: records the headers, refuses every upgrade while
/// <see cref="RefuseUpgrades"/> is set (a server without WebSocket mode), applies handshake faults and auth, then runs the session.
/// </summary>
internal sealed class WebSocketEndpoint(
    ResponsesEngine engine,
    ServerActivity activity,
    FaultPlan faults,
    LocalResponsesServerOptions options,
    CancellationToken serverStopping)
{
    // 0 = accept upgrades; otherwise the refusal status (StartAsync has validated the option). An int rather than an
    // int? (two fields, no atomic read), so a test may flip it from any thread while upgrades read it.
    private int _refuseStatus = options.RefuseWebSocketUpgrades ?? 0;

    public int? RefuseUpgrades
    {
        get => Volatile.Read(ref _refuseStatus) is var status and not 0 ? status : null;
        set => Volatile.Write(ref _refuseStatus, value is { } status ? Rejections.CheckErrorStatus(status, nameof(value)) : 0);
    }

    public async Task HandleAsync(HttpContext context)
    {
        activity.RecordHandshakeAttempt(context.Request.Headers.Select(header => KeyValuePair.Create(header.Key, header.Value.ToString())));

        // Checked before faults and auth: a server (or proxy) without WebSocket mode knows nothing of either, and a
        // queued handshake fault stays queued for the next upgrade that would have been accepted.
        if (RefuseUpgrades is { } refusal)
        {
            activity.UpgradeRefused();
            await Rejections.WriteAsync(context.Response, refusal, customBody: null, retryAfter: null, upgrade: true).ConfigureAwait(false);
            return;
        }

        if (faults.TryTake(FaultPoint.Handshake, ServerTransport.WebSocket, request: null, out var rejection))
        {
            activity.UpgradeRefused();
            await Rejections.WriteAsync(context.Response, rejection!.StatusCode, rejection.Body, rejection.RetryAfter, upgrade: true).ConfigureAwait(false);
            return;
        }

        if (!RequestAuthorization.IsAuthorized(context.Request, options.ApiKey))
        {
            activity.UpgradeRefused();
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
}
