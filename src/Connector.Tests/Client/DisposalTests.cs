using Microsoft.Extensions.AI;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>Disposing a busy client ends every call, starts no handshake, and leaves no socket behind.</summary>
public class DisposalTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Disposing_during_active_streams_ends_them_all_and_closes_every_socket(bool async)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 4);
        var held = new TaskCompletionSource();
        for (var i = 0; i < 8; i++) fixture.Server.Faults.PauseAfterEvents(0, held.Task);
        try
        {
            // Four responses in flight (held before their first event), four calls queued for a socket.
            var calls = Enumerable.Range(0, 8).Select(i => ServerFixture.CollectAsync(client.GetStreamingResponseAsync($"call {i}"))).ToList();
            await fixture.Server.WaitForRequestCountAsync(4).WaitAsync(Bound);
            fixture.Server.HandshakeCount.Should().Be(4);

            if (async) await client.DisposeAsync().AsTask().WaitAsync(Bound);
            else client.Dispose();

            if (async) client.LiveConnectionCount.Should().Be(0, "DisposeAsync returns only when every socket is closed or aborted");
            foreach (var call in calls)
            {
                var failure = await FluentActions.Awaiting(() => call.WaitAsync(Bound)).Should().ThrowAsync<Exception>();
                failure.Which.Should().Match(e => e is ObjectDisposedException || e is ResponsesException);
            }

            held.SetResult();
            fixture.Server.HandshakeCount.Should().Be(4, "no handshake starts after disposal, not even for a resend");
            fixture.Server.Requests.Should().HaveCount(4);
            await FluentActions.Awaiting(() => client.GetResponseAsync("late")).Should().ThrowAsync<ObjectDisposedException>();
        }
        finally
        {
            held.TrySetResult();
        }
    }

    [Fact]
    public async Task Disposing_twice_and_disposing_an_idle_client_never_throws()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        await client.GetResponseAsync("hi");

        await client.DisposeAsync();
        await client.DisposeAsync();
        client.Dispose();
        client.LiveConnectionCount.Should().Be(0);
    }
}
