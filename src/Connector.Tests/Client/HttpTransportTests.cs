using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>
/// <see cref="ResponsesTransport.Http"/>: the same turns over <c>POST /v1/responses</c> with server-sent events, against the
/// local server's real SSE endpoint. No connection-local cache: store=false turns are full creates, store=true turns
/// chain by id.
/// </summary>
public class HttpTransportTests
{
    private static readonly AIFunction Add = AIFunctionFactory.Create((int a, int b) => a + b, "add");

    [Fact]
    public async Task A_store_false_tool_loop_over_http_sends_every_turn_as_a_full_create_from_the_transcript()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var sent = new List<ResponsesRequestInfo>();
        var client = new ChatClientBuilder(fixture.CreateClient(o => { o.Transport = ResponsesTransport.Http; o.RequestSent = sent.Add; }))
            .UseFunctionInvocation().Build();
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":1,"b":2}""")));
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":3,"b":4}""")));

        var response = await client.GetResponseAsync("add twice", new ChatOptions { Tools = [Add] }).Bounded();

        response.Text.Should().Be("Tool results: 3, 7", "the server saw the whole transcript, both results included");
        var requests = fixture.Server.Requests;
        requests.Select(r => r.Transport).Should().AllBe("http");
        requests.Select(r => r.PreviousResponseId).Should().AllBeEquivalentTo((string?)null);
        requests.Select(r => r.InputCount).Should().Equal(1, 3, 5);
        requests.Should().OnlyContain(r => r.Has("stream") && !r.Has("type") && !r.Has("generate"));
        sent.Select(s => s.Status).Should().Equal(ChainStatus.NewConversation, ChainStatus.NotCachedOnSocket, ChainStatus.NotCachedOnSocket);
        fixture.Server.HandshakeCount.Should().Be(0, "no WebSocket is ever opened");
    }

    [Fact]
    public async Task A_store_true_conversation_over_http_chains_by_id_with_only_the_new_items()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => { o.Transport = ResponsesTransport.Http; o.Store = true; });

        var first = await client.GetResponseAsync("one").Bounded();
        var second = await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId }).Bounded();

        second.Text.Should().Be("You said: two");
        second.ConversationId.Should().Be(second.ResponseId);
        var requests = fixture.Server.Requests;
        requests[1].PreviousResponseId.Should().Be(first.ResponseId);
        requests[1].InputCount.Should().Be(1);
    }

    [Fact]
    public async Task Streaming_over_http_yields_the_same_updates_as_over_a_websocket()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var overSocket = fixture.CreateClient(o => o.Transport = ResponsesTransport.WebSocket);
        var overHttp = fixture.CreateClient(o => o.Transport = ResponsesTransport.Http);
        fixture.Server.Model.Enqueue(ScriptedReply.WithText("one two three four five six"));
        fixture.Server.Model.Enqueue(ScriptedReply.WithText("one two three four five six"));

        var socketUpdates = await ServerFixture.CollectAsync(overSocket.GetStreamingResponseAsync("hi")).Bounded();
        var httpUpdates = await ServerFixture.CollectAsync(overHttp.GetStreamingResponseAsync("hi")).Bounded();

        static IEnumerable<string> Shape(IEnumerable<ChatResponseUpdate> updates) =>
            updates.Select(u => $"{u.Role}|{u.FinishReason}|{string.Join(",", u.Contents.Select(c => c.GetType().Name))}|{u.Text}");
        Shape(httpUpdates).Should().Equal(Shape(socketUpdates));
        var responseId = httpUpdates[^1].ResponseId;
        httpUpdates.Should().OnlyContain(u => u.ResponseId != null && u.ConversationId == responseId);
        fixture.Server.Requests.Select(r => r.Transport).Should().Equal("websocket", "http");
    }

    [Fact]
    public async Task A_warmup_over_http_sends_nothing_and_the_next_turn_carries_the_prepared_items()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.Transport = ResponsesTransport.Http);

        var warm = await client.WarmupAsync([new ChatMessage(ChatRole.System, "be brief")]).Bounded();
        fixture.Server.Requests.Should().BeEmpty("generate:false does not exist over HTTP and would generate");
        var reply = await client.GetResponseAsync("hi", new ChatOptions { ConversationId = warm }).Bounded();

        reply.Text.Should().Be("You said: hi");
        var request = fixture.Server.Requests.Single();
        request.PreviousResponseId.Should().BeNull();
        request.InputCount.Should().Be(2, "the warmup's system message and the new user message");
        request.Has("generate").Should().BeFalse();
    }

    [Fact]
    public async Task A_lost_stored_chain_over_http_is_rebuilt_once_as_a_full_create()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => { o.Transport = ResponsesTransport.Http; o.Store = true; });
        var first = await client.GetResponseAsync("one").Bounded();
        fixture.Server.Faults.RejectNextHttpRequest(400, """{"error":{"message":"Previous response not found.","type":"invalid_request_error","param":"previous_response_id","code":"previous_response_not_found"}}""");

        var second = await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId }).Bounded();

        second.Text.Should().Be("You said: two");
        var requests = fixture.Server.Requests;
        requests.Should().HaveCount(3);
        requests[2].PreviousResponseId.Should().BeNull();
        requests[2].InputCount.Should().Be(3);
    }

    [Fact]
    public async Task A_refused_http_request_surfaces_with_the_services_code_status_and_message()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.Transport = ResponsesTransport.Http);
        fixture.Server.Faults.RejectNextHttpRequest(400, """{"error":{"message":"Invalid value for 'temperature'.","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}""");

        var act = () => client.GetResponseAsync("hi").Bounded();

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.ServiceError);
        error.StatusCode.Should().Be(400);
        error.Code.Should().Be("invalid_value");
        error.Param.Should().Be("temperature");
        error.Message.Should().Be("Invalid value for 'temperature'.");
        fixture.Server.Requests.Should().HaveCount(1, "a 400 is not retried");
    }

    [Fact]
    public async Task A_rate_limited_http_request_waits_its_Retry_After_and_goes_again()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var clock = new ManualTimeProvider();
        var client = fixture.CreateClient(o => { o.Transport = ResponsesTransport.Http; o.TimeProvider = clock; });
        fixture.Server.Faults.RejectNextHttpRequest(429, retryAfter: TimeSpan.FromSeconds(2));

        var call = client.GetResponseAsync("hi");
        await clock.WaitForTimerArmedAsync().Bounded();
        fixture.Server.Requests.Should().HaveCount(1);
        clock.Advance(TimeSpan.FromSeconds(2));

        (await call.Bounded()).Text.Should().Be("You said: hi");
        fixture.Server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task An_sse_stream_dropped_before_any_event_is_resent_once_and_one_dropped_after_output_surfaces()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.Transport = ResponsesTransport.Http);
        fixture.Server.Faults.DropConnectionAfterEvents(0);

        (await client.GetResponseAsync("first").Bounded()).Text.Should().Be("You said: first");
        fixture.Server.Requests.Should().HaveCount(2);

        fixture.Server.Model.Enqueue(ScriptedReply.WithText("a long answer in several words"));
        fixture.Server.Faults.DropConnectionAfterEvents(5);
        var updates = new List<ChatResponseUpdate>();
        var act = async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("second")) updates.Add(update);
        };

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.ConnectionClosed);
        error.OutputSurfaced.Should().BeTrue();
        updates.Should().Contain(u => u.Text.Length > 0);
        updates[^1].Contents.Should().ContainSingle().Which.Should().BeOfType<ErrorContent>();
        fixture.Server.Requests.Should().HaveCount(3, "nothing is replayed once output was surfaced");
    }

    [Fact]
    public async Task A_stalled_sse_stream_times_out_on_the_clients_clock()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var clock = new ManualTimeProvider();
        var client = fixture.CreateClient(o => { o.Transport = ResponsesTransport.Http; o.TimeProvider = clock; o.ResponseIdleTimeout = TimeSpan.FromSeconds(30); });
        var release = new TaskCompletionSource();
        fixture.Server.Faults.PauseAfterEvents(3, release.Task);

        // Three events (created, in_progress, output_item.added) then silence; each yields one update, so once three were
        // read no event can arrive after the clock moves (it would re-arm the watchdog for a full period).
        await using var stream = client.GetStreamingResponseAsync("hi").GetAsyncEnumerator();
        for (var i = 0; i < 3; i++) (await stream.MoveNextAsync().AsTask().Bounded()).Should().BeTrue();
        clock.ArmedTimerCount.Should().Be(1, "the response's idle watchdog");
        clock.Advance(TimeSpan.FromSeconds(31));

        var error = (await FluentActions.Awaiting(() => stream.MoveNextAsync().AsTask().Bounded()).Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.ResponseTimeout);
        release.SetResult();
        (await client.GetResponseAsync("again").Bounded()).Text.Should().Be("You said: again");
    }

    [Fact]
    public async Task An_sse_event_larger_than_MaxMessageSize_is_a_protocol_violation()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => { o.Transport = ResponsesTransport.Http; o.MaxMessageSize = 4096; });
        fixture.Server.Model.Enqueue(ScriptedReply.WithText(new string('x', 20_000)));

        var act = () => client.GetResponseAsync("hi").Bounded();

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.ProtocolViolation);
        (await client.GetResponseAsync("again").Bounded()).Text.Should().Be("You said: again");
    }
}
