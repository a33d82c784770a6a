using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Transport;

/// <summary>How a send on a breaking socket surfaces: only the caller's own token may produce cancellation.</summary>
public class WebSocketConnectionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_send_broken_by_a_reset_peer_is_a_connection_error_not_a_cancellation()
    {
        var stream = new BrokenPipeStream();
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });

        // The receive side saw the reset first and aborted the socket; the send in progress then fails. The BCL reports
        // that as OperationCanceledException (inner IOException "Broken pipe") although nobody cancelled anything.
        stream.BeforeWriteFails = socket.Abort;
        await using var connection = new WebSocketConnection(socket, NullLogger.Instance, TimeProvider.System, Timeout.InfiniteTimeSpan);

        var failure = (await FluentActions.Awaiting(() => connection.SendAsync("{}"u8.ToArray(), keepRawEvents: true, CancellationToken.None).AsTask().WaitAsync(Bound))
            .Should().ThrowAsync<ResponsesException>()).Which;
        failure.Kind.Should().Be(ResponsesErrorKind.ConnectionClosed);
        failure.IsTransient.Should().BeTrue("the turn runner resends it before anything surfaced");
        connection.IsUsable.Should().BeFalse();
    }

    [Fact]
    public async Task The_callers_own_cancellation_stays_a_cancellation()
    {
        var stream = new BrokenPipeStream();
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        using var cancel = new CancellationTokenSource();
        stream.BeforeWriteFails = () =>
        {
            cancel.Cancel();
            socket.Abort();
        };
        await using var connection = new WebSocketConnection(socket, NullLogger.Instance, TimeProvider.System, Timeout.InfiniteTimeSpan);

        await FluentActions.Awaiting(() => connection.SendAsync("{}"u8.ToArray(), keepRawEvents: true, cancel.Token).AsTask().WaitAsync(Bound))
            .Should().ThrowAsync<OperationCanceledException>();
    }
}
