using Microsoft.Extensions.AI;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>Cancellation and early abandonment must leave the client usable, with no frames leaking into the next call.</summary>
public class CancellationTests
{
    [Fact]
    public async Task Cancelling_mid_stream_throws_and_the_next_call_gets_only_its_own_output()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var release = new TaskCompletionSource();
        fixture.Server.Faults.When(r => r.LastUserText == "the cancelled one").PauseAfterEvents(5, release.Task);
        using var cts = new CancellationTokenSource();

        var act = async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("the cancelled one", cancellationToken: cts.Token))
            {
                if (update.Text.Length > 0) cts.Cancel();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>().Bounded();
        release.SetResult();
        (await client.GetResponseAsync("next").Bounded()).Text.Should().Be("You said: next");
    }

    [Fact]
    public async Task Cancelling_before_the_call_starts_sends_nothing()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();

        var act = () => client.GetResponseAsync("never", cancellationToken: new CancellationToken(true));

        await act.Should().ThrowAsync<OperationCanceledException>();
        fixture.Server.Requests.Should().BeEmpty();
        (await client.GetResponseAsync("next")).Text.Should().Be("You said: next");
    }

    [Fact]
    public async Task Stopping_enumeration_early_does_not_break_the_next_call()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var release = new TaskCompletionSource();
        fixture.Server.Faults.When(r => r.LastUserText == "abandon me after the first words").PauseAfterEvents(5, release.Task);

        var abandon = async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("abandon me after the first words"))
            {
                if (update.Text.Length > 0) break;
            }
        };

        await abandon().Bounded();
        release.SetResult();
        var next = await client.GetResponseAsync("next").Bounded();
        next.Text.Should().Be("You said: next");
        next.Messages.Should().ContainSingle();
    }

    [Fact]
    public async Task A_waiting_call_can_be_cancelled_without_disturbing_the_running_one()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var release = new TaskCompletionSource();
        fixture.Server.Faults.When(r => r.LastUserText == "first").PauseAfterEvents(3, release.Task);
        using var cts = new CancellationTokenSource();

        var first = client.GetResponseAsync("first");
        await fixture.Server.WaitForRequestCountAsync(1).Bounded();
        var waiting = client.GetResponseAsync("waiting", cancellationToken: cts.Token);
        cts.Cancel();

        await waiting.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>().Bounded();
        release.SetResult();
        (await first.Bounded()).Text.Should().Be("You said: first");
        fixture.Server.HandshakeCount.Should().Be(1);
    }
}
