using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Ends a connection abruptly — no WebSocket close frame, no final SSE chunk — without losing what was already sent.
/// </summary>
internal static class ConnectionDropper
{
    /// <summary>
    /// Half-closes the TCP socket: the FIN queues behind the bytes already handed to the kernel, so the client reads
    /// every event sent so far and then hits end-of-stream. <see cref="HttpContext.Abort"/> would send an RST,
    /// which makes the client's kernel discard events it received but has not read yet — the drop point would drift.
    /// </summary>
    public static void Drop(HttpContext context)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null)
        {
            context.Abort();
            return;
        }

        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Already gone: the drop has happened either way.
        }
    }

    /// <summary>
    /// After a drop, keeps the HTTP request open until the client disconnects (or the server stops): returning
    /// earlier would make Kestrel write the final chunk into the closed socket and reset the connection.
    /// </summary>
    public static async Task WaitForClientToLeaveAsync(HttpContext context, CancellationToken stop)
    {
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stop.Register(() => left.TrySetResult()))
        {
            await left.Task.ConfigureAwait(false);
        }

        context.Abort();
    }
}
