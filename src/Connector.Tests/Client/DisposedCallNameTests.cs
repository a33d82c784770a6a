using Microsoft.Extensions.AI;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>A call that disposal ends with <see cref="ObjectDisposedException"/> names the client, not a string.</summary>
public class DisposedCallNameTests
{
    [Fact]
    public async Task A_resend_refused_by_disposal_names_the_client_in_its_ObjectDisposedException()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);
        var held = new TaskCompletionSource();

        // Held before its first event: disposal aborts the socket, the turn fails with nothing received, and its one
        // transparent resend needs a new channel, which the disposed client refuses.
        fixture.Server.Faults.PauseAfterEvents(0, held.Task);
        try
        {
            var call = ServerFixture.CollectAsync(client.GetStreamingResponseAsync("one"));
            await fixture.Server.WaitForRequestCountAsync(1).Bounded();

            await client.DisposeAsync().AsTask().Bounded();

            var failure = await FluentActions.Awaiting(() => call.Bounded()).Should().ThrowAsync<ObjectDisposedException>();
            failure.Which.ObjectName.Should().Be(typeof(ResponsesWebSocketChatClient).FullName);
        }
        finally
        {
            held.TrySetResult();
        }
    }
}
