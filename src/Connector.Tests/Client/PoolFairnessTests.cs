using Microsoft.Extensions.AI;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>Calls beyond MaxConnections wait in one queue and take whichever socket frees first.</summary>
public class PoolFairnessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Sixteen_calls_on_four_sockets_run_four_at_a_time_on_every_socket()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 4);

        // Every response is held before its first event until the test releases its wave: the model's latency, made
        // explicit. Each pause targets its requests by order of receipt, so no response can take another wave's pause.
        var waves = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource()).ToList();
        for (var w = 0; w < 4; w++)
        {
            var (first, last, release) = (4 * w + 1, 4 * w + 4, waves[w].Task);
            for (var i = 0; i < 4; i++) fixture.Server.Faults.When(r => r.Sequence >= first && r.Sequence <= last).PauseAfterEvents(0, release);
        }

        var calls = Enumerable.Range(0, 16).Select(i => client.GetResponseAsync($"call {i}")).ToList();
        try
        {
            for (var w = 0; w < 4; w++)
            {
                await fixture.Server.WaitForRequestCountAsync(4 * (w + 1)).WaitAsync(Bound);
                var wave = fixture.Server.Requests.Skip(4 * w).Take(4).ToList();
                wave.Select(r => r.ConnectionId).Should().OnlyHaveUniqueItems($"wave {w + 1} must use all four sockets, not queue behind one");
                waves[w].SetResult();
            }

            var answers = await Task.WhenAll(calls).WaitAsync(Bound);
            answers.Select(a => a.Text).Should().BeEquivalentTo(Enumerable.Range(0, 16).Select(i => $"You said: call {i}"));
            fixture.Server.HandshakeCount.Should().Be(4);
            fixture.Server.Requests.GroupBy(r => r.ConnectionId).Should().OnlyContain(g => g.Count() == 4);
        }
        finally
        {
            foreach (var wave in waves) wave.TrySetResult();
        }
    }
}
