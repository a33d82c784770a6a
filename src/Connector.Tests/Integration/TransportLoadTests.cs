using System.Globalization;
using ResponsesWebSocket.Benchmarks.Load;
using ResponsesWebSocket.Tests.Support;
using Xunit.Abstractions;

namespace ResponsesWebSocket.Tests.Integration;

/// <summary>
/// Issue 7's load test: many concurrent tool-loop conversations through ONE client (Transport=Auto, MaxConnections 8,
/// wrapped in <c>UseFunctionInvocation()</c>) against the local server, with seeded connection drops and 426 upgrade
/// rejections, so turns run over WebSocket and over HTTP as the client falls back and returns. The workload is
/// <see cref="TransportLoad"/> (shared with <c>dotnet run --project src/Connector.Benchmarks -- load</c>).
/// </summary>
/// <remarks>
/// <para>What the library promises, and so what is asserted: a drop before the first event of a response is resent
/// transparently (the caller never sees it: counted as resends, never as failures); a drop after events arrived is
/// never replayed and surfaces as <see cref="ResponsesErrorKind.ConnectionClosed"/>, once per such drop, after which the
/// caller retries from its completed tool rounds; a refused upgrade (426) switches to HTTP without the caller noticing.</para>
/// <para>The same workload runs on each single transport too (WebSocket only: no upgrade is refused; HTTP only: drops
/// before the first event are retried by the HTTP transport itself, below the client's resend).</para>
/// <para>The seed is fixed so that the run is reproducible; <c>RESPONSES_WS_LOAD_SEED</c> overrides it (the long run
/// draws one when it is not set) and every failure message names it. The client's clock is manual and moves one second
/// per tool invocation, so the HTTP fallback (5 s) ends after a fixed amount of progress, not of wall time.</para>
/// </remarks>
[Collection(LoadTestGroup.Name)]
public class TransportLoadTests(ITestOutputHelper output)
{
    private const string SeedVariable = "RESPONSES_WS_LOAD_SEED";

    [Fact]
    public async Task Concurrent_tool_loops_through_one_client_survive_drops_and_refused_upgrades_without_cross_talk()
    {
        var report = await RunAsync(conversations: 24, seed: SeedFromEnvironment() ?? 20261128, timeout: Patience.Limit);

        AssertPromisesKept(report);
    }

    [Theory]
    [InlineData(ResponsesTransport.WebSocket)]
    [InlineData(ResponsesTransport.Http)]
    public async Task Concurrent_tool_loops_through_one_client_survive_drops_on_a_single_transport(ResponsesTransport transport)
    {
        var report = await RunAsync(conversations: 24, seed: SeedFromEnvironment() ?? 20261129, timeout: Patience.Limit, transport);

        AssertPromisesKept(report);
    }

    [LoadFact]
    public async Task Hundred_concurrent_tool_loops_through_one_client_survive_drops_and_refused_upgrades_without_cross_talk()
    {
        var report = await RunAsync(conversations: 100, seed: SeedFromEnvironment() ?? Random.Shared.Next(), timeout: TimeSpan.FromMinutes(3));

        AssertPromisesKept(report);
    }

    private async Task<LoadReport> RunAsync(int conversations, int seed, TimeSpan timeout, ResponsesTransport transport = ResponsesTransport.Auto)
    {
        output.WriteLine($"seed {seed} (set {SeedVariable}={seed} to repeat this run)");
        var clock = new ManualTimeProvider();
        var report = await TransportLoad.RunAsync(new LoadSettings
        {
            Conversations = conversations,
            Turns = 10,
            MaxConnections = 8,
            Transport = transport,
            Seed = seed,
            DropBeforeFirstEventRate = 0.08,
            DropMidStreamRate = 0.08,
            RejectUpgradeRate = 0.04,
            TimeProvider = clock,
            OnToolInvoked = () => clock.Advance(TimeSpan.FromSeconds(1)),
            HttpFallbackDuration = TimeSpan.FromSeconds(5),

            // The manual clock jumps a second per tool call of any conversation: an idle watchdog on it would measure
            // other conversations' progress, not this response's silence.
            ResponseIdleTimeout = Timeout.InfiniteTimeSpan,
            Timeout = timeout,
        });
        output.WriteLine(report.Summarize());
        return report;
    }

    private static void AssertPromisesKept(LoadReport report)
    {
        var seed = report.Settings.Seed;
        var because = string.Create(CultureInfo.InvariantCulture, $"(seed {seed}; set {SeedVariable}={seed} to repeat)");
        var turns = report.Settings.Turns;

        // Every conversation ends with exactly its own answer: the model echoes the ten results it finds in its context,
        // so a foreign item, a lost one or a duplicate (and a doubled final text) all change it.
        foreach (var conversation in report.Conversations)
        {
            conversation.FinalText.Should().Be(conversation.ExpectedFinalText, "conv{0} must answer with exactly its own results {1}", conversation.Index, because);

            // Each tool call was invoked exactly once, in order, even across drops and the caller's retries.
            conversation.InvokedSteps.Should().Equal(Enumerable.Range(0, turns), "conv{0} invokes each step once {1}", conversation.Index, because);
        }

        report.ForeignToolsSeenByModel.Should().Be(0, "no request may carry another conversation's tools {0}", because);

        // No update carries another conversation's ids: the ResponseId sets are disjoint, and every ConversationId a
        // conversation saw is one of its own responses (Auto mode reports the latest response id).
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var conversation in report.Conversations)
        {
            foreach (var id in conversation.ResponseIds)
            {
                owners.TryAdd(id, conversation.Index).Should().BeTrue("ResponseId {0} reached conv{1} and conv{2} {3}", id, conversation.Index, owners.GetValueOrDefault(id), because);
            }
        }

        foreach (var conversation in report.Conversations)
        {
            conversation.ConversationIds.Should().BeSubsetOf(conversation.ResponseIds, "conv{0} only sees its own ConversationIds {1}", conversation.Index, because);
        }

        // The faults happened, and each surfaced exactly as promised.
        report.ScheduledDropsBeforeFirstEvent.Should().BePositive("the seed must schedule drops before the first event {0}", because);
        report.ScheduledDropsMidStream.Should().BePositive("the seed must schedule mid-stream drops {0}", because);
        report.Conversations.Sum(c => c.SurfacedFailures.Count).Should().Be(report.ScheduledDropsMidStream, "each mid-stream drop surfaces once, and nothing else does {0}", because);

        // Every dropped response was asked again exactly once (by the client's resend, by the HTTP transport's retry of a
        // request whose answer never started, or by the caller after a surfaced drop), and nothing else was repeated.
        (report.WebSocketResponses + report.HttpResponses).Should().Be(
            (report.Conversations.Count * (turns + 1)) + report.ScheduledDropsBeforeFirstEvent + report.ScheduledDropsMidStream,
            "each response is generated once, plus once more per drop {0}", because);
        report.TransparentResends.Should().BeInRange(0, report.ScheduledDropsBeforeFirstEvent, "only drops before the first event are resent by the client (over HTTP some are retried by the transport below it) {0}", because);
        report.CreatesSent.Should().Be(
            (report.Conversations.Count * (turns + 1)) + report.TransparentResends + report.ScheduledDropsMidStream,
            "the client sends one create per response, one per resend, and one per caller retry {0}", because);
        switch (report.Settings.Transport)
        {
            case ResponsesTransport.Auto:
                report.FaultsLeftOver.Should().BeLessThan(report.QueuedUpgradeRejections, "every drop was taken, and at least the first 426 {0}", because);
                report.HttpResponses.Should().BePositive("a refused upgrade sends turns over HTTP {0}", because);
                report.WebSocketResponses.Should().BePositive("the fallback ends and the client returns to WebSocket mode {0}", because);
                break;
            case ResponsesTransport.WebSocket:
                report.FaultsLeftOver.Should().Be(0, "every drop was taken {0}", because);
                report.HttpResponses.Should().Be(0, "WebSocket mode never falls back {0}", because);
                report.TransparentResends.Should().Be(report.ScheduledDropsBeforeFirstEvent, "on WebSocket the client resends every drop before the first event itself {0}", because);
                break;
            default:
                report.FaultsLeftOver.Should().Be(0, "every drop was taken {0}", because);
                report.WebSocketResponses.Should().Be(0, "HTTP mode never upgrades {0}", because);
                report.HandshakesAccepted.Should().Be(0, "HTTP mode never upgrades {0}", because);
                break;
        }

        // Sockets never above the bound, nothing left after dispose, the client collectable, the heap back near baseline.
        report.PeakServerSockets.Should().BeInRange(report.Settings.Transport == ResponsesTransport.Http ? 0 : 1, report.Settings.MaxConnections, "the server never holds more sockets than MaxConnections {0}", because);
        report.PeakClientChannels.Should().BeInRange(2, report.Settings.MaxConnections, "the client runs conversations side by side, within MaxConnections {0}", because);
        report.LiveChannelsAfterDispose.Should().Be(0, "dispose closes every channel {0}", because);
        report.ClientCollected.Should().BeTrue("nothing left running after dispose holds the client {0}", because);
        (report.HeapAfterDisposeBytes - report.HeapBaselineBytes).Should().BeLessThan(8L << 20, "the heap returns near its baseline after dispose {0}", because);
    }

    private static int? SeedFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : null;
}
