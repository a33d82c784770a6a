using Microsoft.Extensions.AI;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>A server that stops sending mid-response ends the call after ResponseIdleTimeout, measured on the client's clock.</summary>
public class ResponseIdleTimeoutTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // One socket, so a replaced socket shows as a second handshake; five minutes of silence allowed, on the test's clock.
    private static ResponsesWebSocketChatClient CreateClient(ServerFixture fixture, ManualTimeProvider clock) =>
        fixture.CreateClient(o =>
        {
            o.TimeProvider = clock;
            o.ResponseIdleTimeout = TimeSpan.FromMinutes(5);
            o.MaxConnections = 1;
        });

    [Fact]
    public async Task A_stalled_response_times_out_aborts_its_socket_and_the_next_call_works()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var clock = new ManualTimeProvider();
        var client = CreateClient(fixture, clock);
        var stall = new TaskCompletionSource();

        // Three events (created, in_progress, output_item.added), then silence. Every event yields one update, so once
        // the test has read three, no event can arrive later and stamp the clock after it moves.
        fixture.Server.Faults.PauseAfterEvents(3, stall.Task);
        try
        {
            var stream = client.GetStreamingResponseAsync("hello").GetAsyncEnumerator();
            for (var i = 0; i < 3; i++) (await stream.MoveNextAsync().AsTask().WaitAsync(Bound)).Should().BeTrue();
            clock.ArmedTimerCount.Should().Be(1, "the response's idle watchdog");
            var next = stream.MoveNextAsync().AsTask();

            clock.Advance(TimeSpan.FromMinutes(4));
            next.IsCompleted.Should().BeFalse("four silent minutes are within the timeout");
            clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));

            var failure = (await FluentActions.Awaiting(() => next.WaitAsync(Bound)).Should().ThrowAsync<ResponsesException>()).Which;
            failure.Kind.Should().Be(ResponsesErrorKind.ResponseTimeout);
            failure.IsTransient.Should().BeTrue();
            await stream.DisposeAsync();

            (await client.GetResponseAsync("again").WaitAsync(Bound)).Text.Should().Be("You said: again");
            fixture.Server.HandshakeCount.Should().Be(2, "the stalled socket was aborted and replaced");
        }
        finally
        {
            stall.TrySetResult();
        }
    }

    [Fact]
    public async Task Events_reset_the_idle_clock()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var clock = new ManualTimeProvider();
        var client = CreateClient(fixture, clock);
        var resume = new TaskCompletionSource();
        fixture.Server.Faults.PauseAfterEvents(4, resume.Task);

        var armed = clock.WaitForTimerArmedAsync();
        var call = ServerFixture.CollectAsync(client.GetStreamingResponseAsync("hello"));
        await armed.WaitAsync(Bound);
        clock.Advance(TimeSpan.FromMinutes(4));
        resume.SetResult();

        // The rest of the response arrives after four silent minutes: the call completes normally.
        var updates = await call.WaitAsync(Bound);
        updates.ToChatResponse().Text.Should().Be("You said: hello");
        clock.Advance(TimeSpan.FromMinutes(10));
        (await client.GetResponseAsync("again").WaitAsync(Bound)).Text.Should().Be("You said: again");
        fixture.Server.HandshakeCount.Should().Be(1, "a finished response leaves no watchdog behind to kill its socket");
    }

    [Fact]
    public void An_invalid_timeout_is_rejected_and_infinite_disables_it()
    {
        FluentActions.Invoking(() => new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("http://127.0.0.1:1/v1"), Model = "m", ResponseIdleTimeout = TimeSpan.Zero }))
            .Should().Throw<ArgumentException>().WithMessage("*ResponseIdleTimeout*");
        using var client = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("http://127.0.0.1:1/v1"), Model = "m", ResponseIdleTimeout = Timeout.InfiniteTimeSpan });
    }
}
