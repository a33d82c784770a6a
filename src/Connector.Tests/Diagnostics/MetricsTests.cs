using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Diagnostics;

/// <summary>The client's Meter: frames by chain status, bytes sent and avoided, resends, fallbacks, handshakes, sockets, latency.</summary>
public class MetricsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Chained_turn_is_counted_with_the_bytes_it_saved()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var meter = client.GetService<Meter>()!;
        using var frames = new MetricCollector<long>(meter, "responses_websocket.frames");
        using var sent = new MetricCollector<long>(meter, "responses_websocket.sent_bytes");
        using var avoided = new MetricCollector<long>(meter, "responses_websocket.avoided_bytes");
        using var firstEvent = new MetricCollector<double>(meter, "responses_websocket.time_to_first_event");

        var first = await client.GetResponseAsync("one").WaitAsync(Timeout);
        await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId }).WaitAsync(Timeout);

        frames.GetMeasurementSnapshot().Select(m => (string)m.Tags["responses_websocket.chain"]!).Should().Equal("full", "chained");
        var frameBytes = fixture.Server.Requests.Select(r => (long)System.Text.Encoding.UTF8.GetByteCount(r.Json)).ToList();
        sent.GetMeasurementSnapshot().Select(m => m.Value).Should().Equal(frameBytes);
        var saved = avoided.GetMeasurementSnapshot().Should().ContainSingle("only the chained frame saved anything").Subject.Value;
        saved.Should().BeGreaterThan(0, "even without a RequestSent callback, a listener gets the saved bytes");
        firstEvent.GetMeasurementSnapshot().Should().HaveCount(2).And.OnlyContain(m => m.Value >= 0);
    }

    [Fact]
    public async Task Changed_settings_count_as_a_rebuilt_frame_and_a_fallback()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var meter = client.GetService<Meter>()!;
        using var frames = new MetricCollector<long>(meter, "responses_websocket.frames");
        using var fallbacks = new MetricCollector<long>(meter, "responses_websocket.chain_fallbacks");

        var first = await client.GetResponseAsync("one", new ChatOptions { Instructions = "Be brief." }).WaitAsync(Timeout);
        await client.GetResponseAsync("two", new ChatOptions { Instructions = "Be verbose.", ConversationId = first.ConversationId }).WaitAsync(Timeout);

        frames.LastMeasurement!.Tags["responses_websocket.chain"].Should().Be("rebuilt");
        fallbacks.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["responses_websocket.chain_status"].Should().Be(nameof(ChainStatus.SettingsChanged));
    }

    [Fact]
    public async Task Resends_and_handshakes_are_counted_by_reason_and_outcome()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => { o.MaxConnections = 1; o.RetryPolicy = new ExponentialBackoffRetryPolicy { MaxRetries = 1, InitialDelay = TimeSpan.Zero }; });
        var meter = client.GetService<Meter>()!;
        using var resends = new MetricCollector<long>(meter, "responses_websocket.resends");
        using var handshakes = new MetricCollector<long>(meter, "responses_websocket.handshakes");
        using var open = new MetricCollector<int>(meter, "responses_websocket.open_connections");
        fixture.Server.Faults.DropConnectionAfterEvents(0);

        await client.GetResponseAsync("hello").WaitAsync(Timeout);
        fixture.Server.Faults.DropConnectionAfterEvents(0);
        fixture.Server.Faults.RejectNextHandshake(503);
        fixture.Server.Faults.RejectNextHandshake(503);
        var act = () => client.GetResponseAsync("again").WaitAsync(Timeout);
        await act.Should().ThrowAsync<ResponsesException>();

        resends.GetMeasurementSnapshot().Select(m => m.Tags["responses_websocket.resend_reason"]).Should().Equal("connection_closed", "connection_closed");
        handshakes.GetMeasurementSnapshot().Select(m => (string)m.Tags["responses_websocket.outcome"]!).Should().Equal("succeeded", "succeeded", "rejected", "rejected");
        handshakes.LastMeasurement!.Tags["http.response.status_code"].Should().Be(503);
        open.RecordObservableInstruments();
        open.LastMeasurement!.Value.Should().Be(0, "the dropped sockets are gone and the replacement was rejected");
    }

    [Fact]
    public async Task Open_connections_follow_the_pool()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        using var open = new MetricCollector<int>(client.GetService<Meter>()!, "responses_websocket.open_connections");

        await Task.WhenAll(
            client.GetResponseAsync("one").WaitAsync(Timeout),
            client.GetResponseAsync("two").WaitAsync(Timeout));
        open.RecordObservableInstruments();

        open.LastMeasurement!.Value.Should().Be(fixture.Server.OpenConnectionCount).And.BeGreaterThan(0);
    }

    [Fact]
    public void Meter_and_activity_source_are_named_after_the_library_and_owned_per_client()
    {
        using var a = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("http://127.0.0.1:9/v1"), Model = "m" });
        using var b = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("http://127.0.0.1:9/v1"), Model = "m" });

        a.GetService<Meter>()!.Name.Should().Be(ResponsesWebSocketTelemetry.SourceName).And.Be("ResponsesWebSocket");
        a.GetService<ActivitySource>()!.Name.Should().Be("ResponsesWebSocket");
        a.GetService<Meter>().Should().NotBeSameAs(b.GetService<Meter>());
    }
}
