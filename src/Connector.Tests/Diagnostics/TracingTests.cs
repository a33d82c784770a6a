using System.Diagnostics;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Diagnostics;

/// <summary>Spans: a connect span per upgrade, a frame event on the caller's span, and no gen_ai span of our own.</summary>
public class TracingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Under_UseOpenTelemetry_there_is_one_chat_span_with_our_connect_span_and_frame_event_inside()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var ours = client.GetService<ActivitySource>()!;
        var genAiSource = "test.genai." + Guid.NewGuid().ToString("N");
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source == ours || source.Name == genAiSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (stopped) stopped.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        var chat = new ChatClientBuilder(client).UseOpenTelemetry(sourceName: genAiSource).Build();

        await foreach (var _ in chat.GetStreamingResponseAsync("hello").WithCancellation(new CancellationTokenSource(Timeout).Token))
        {
        }

        List<Activity> spans;
        lock (stopped) spans = [.. stopped];
        var chatSpan = spans.Should().ContainSingle(a => a.Source.Name == genAiSource).Subject;
        var connect = spans.Should().ContainSingle(a => a.Source == ours).Subject;
        connect.OperationName.Should().Be("responses_websocket.connect");
        connect.ParentSpanId.Should().Be(chatSpan.SpanId);
        connect.GetTagItem("server.address").Should().Be("127.0.0.1");
        connect.Tags.Should().NotContain(t => t.Key.StartsWith("gen_ai.", StringComparison.Ordinal), "the gen_ai attributes belong to MEAI's span");
        chatSpan.Events.Should().ContainSingle(e => e.Name == "responses_websocket.frame_sent")
            .Which.Tags.Should().Contain(new KeyValuePair<string, object?>("responses_websocket.chain_status", nameof(ChainStatus.NewConversation)));
    }

    [Fact]
    public async Task Rejected_upgrade_marks_the_connect_span_as_an_error()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var ours = client.GetService<ActivitySource>()!;
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source == ours,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (stopped) stopped.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        fixture.Server.Faults.RejectNextHandshake(401);

        var act = () => client.GetResponseAsync("hello").WaitAsync(Timeout);
        await act.Should().ThrowAsync<ResponsesException>();

        var connect = stopped.Should().ContainSingle().Subject;
        connect.Status.Should().Be(ActivityStatusCode.Error);
        connect.GetTagItem("http.response.status_code").Should().Be(401);
        connect.GetTagItem("error.type").Should().Be("401");
    }
}
