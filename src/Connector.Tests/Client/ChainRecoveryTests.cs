using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>Every chain break is recovered with a full create from the transcript, without the caller noticing.</summary>
public class ChainRecoveryTests
{
    private static readonly AIFunction Add = AIFunctionFactory.Create((int a, int b) => a + b, "add");

    [Fact]
    public async Task Previous_response_not_found_is_resent_once_as_a_full_create_rebuilt_from_the_transcript()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var sent = new List<ResponsesRequestInfo>();
        var client = fixture.CreateClient(o => o.RequestSent = sent.Add);
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":1,"b":2}""")));
        var options = new ChatOptions { Tools = [Add] };
        var first = await client.GetResponseAsync("add please", options);
        var call = first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        fixture.Server.Faults.ErrorOnNextCreate("previous_response_not_found", $"Previous response with id '{first.ResponseId}' not found.", param: "previous_response_id");

        var second = await client.GetResponseAsync([new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, 3)])],
            new ChatOptions { Tools = [Add], ConversationId = first.ConversationId });

        second.Text.Should().Be("Tool results: 3");
        var requests = fixture.Server.Requests;
        requests.Should().HaveCount(3);
        requests[1].PreviousResponseId.Should().Be(first.ResponseId);
        requests[2].PreviousResponseId.Should().BeNull();
        requests[2].InputItemTypes.Should().Equal("message", "function_call", "function_call_output");
        sent.Select(s => s.Status).Should().Equal(ChainStatus.NewConversation, ChainStatus.Chained, ChainStatus.PreviousResponseNotFound);
        fixture.Server.HandshakeCount.Should().Be(1, "the socket stays open");
    }

    [Fact]
    public async Task A_failed_turn_evicts_the_chain_and_the_next_turn_is_a_full_create()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var first = await client.GetResponseAsync("one");
        fixture.Server.Faults.FailNextResponse("server_error", "boom");

        var failing = () => client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId });
        await failing.Should().ThrowAsync<ResponsesException>();
        var retried = await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId });

        retried.Text.Should().Be("You said: two");
        fixture.Server.Requests[2].PreviousResponseId.Should().BeNull();
        fixture.Server.Requests[2].InputItemTypes.Should().Equal("message", "message", "message");
    }

    [Fact]
    public async Task An_error_event_evicts_the_chain_and_the_next_turn_is_a_full_create()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var first = await client.GetResponseAsync("one");
        fixture.Server.Faults.ErrorOnNextCreate(null, "Model 'x' does not support image inputs.");

        var failing = () => client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId });
        await failing.Should().ThrowAsync<ResponsesException>();
        await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId });

        fixture.Server.Requests[2].PreviousResponseId.Should().BeNull();
        fixture.Server.Requests[2].InputCount.Should().Be(3);
    }

    [Fact]
    public async Task A_replaced_socket_loses_the_chain_and_the_next_turn_is_a_full_create()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var clock = new ManualTimeProvider();
        var sent = new List<ResponsesRequestInfo>();
        var client = fixture.CreateClient(o => { o.TimeProvider = clock; o.RequestSent = sent.Add; });
        var first = await client.GetResponseAsync("one");

        clock.Advance(TimeSpan.FromMinutes(56));
        var second = await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId });
        var third = await client.GetResponseAsync("three", new ChatOptions { ConversationId = second.ConversationId });

        fixture.Server.HandshakeCount.Should().Be(2);
        fixture.Server.Requests[1].PreviousResponseId.Should().BeNull();
        fixture.Server.Requests[1].InputCount.Should().Be(3);
        fixture.Server.Requests[2].PreviousResponseId.Should().Be(second.ResponseId, "the new socket holds the new chain");
        third.Text.Should().Be("You said: three");
        sent[1].Status.Should().Be(ChainStatus.NotCachedOnSocket);
    }

    [Fact]
    public async Task The_sixty_minute_limit_reconnects_and_resends_the_turn_in_full()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var first = await client.GetResponseAsync("one");
        fixture.Server.Faults.ConnectionLimitOnNextCreate();

        var second = await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId });

        second.Text.Should().Be("You said: two");
        fixture.Server.HandshakeCount.Should().Be(2);
        fixture.Server.Requests[^1].PreviousResponseId.Should().BeNull();
        fixture.Server.Requests[^1].InputCount.Should().Be(3);
    }

    [Fact]
    public async Task A_dropped_socket_before_any_event_is_replayed_in_full_on_a_new_socket()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var first = await client.GetResponseAsync("one");
        fixture.Server.Faults.DropConnectionAfterEvents(0);

        var second = await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId });

        second.Text.Should().Be("You said: two");
        fixture.Server.Requests[1].PreviousResponseId.Should().Be(first.ResponseId);
        fixture.Server.Requests[2].PreviousResponseId.Should().BeNull();
        fixture.Server.Requests[2].InputCount.Should().Be(3);
    }

    [Fact]
    public async Task A_cancelled_turn_leaves_the_conversation_continuable_with_a_full_create()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var first = await client.GetResponseAsync("one");
        var release = new TaskCompletionSource();
        fixture.Server.Faults.When(r => r.LastUserText == "two").PauseAfterEvents(5, release.Task); // created, in_progress, item added, part added, first delta
        using var cts = new CancellationTokenSource();

        var cancelled = async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId }, cts.Token))
            {
                if (update.Text.Length > 0) cts.Cancel();
            }
        };
        await cancelled.Should().ThrowAsync<OperationCanceledException>().Bounded();
        release.SetResult();
        var again = await client.GetResponseAsync("two again", new ChatOptions { ConversationId = first.ConversationId }).Bounded();

        again.Text.Should().Be("You said: two again");
        fixture.Server.Requests[^1].PreviousResponseId.Should().BeNull();
        fixture.Server.Requests[^1].InputCount.Should().Be(3);
        fixture.Server.HandshakeCount.Should().Be(2);
    }

    [Fact]
    public async Task A_tool_loop_survives_a_broken_chain_mid_loop_without_the_caller_noticing()
    {
        await using var fixture = await ServerFixture.StartAsync();
        using var client = new ChatClientBuilder(fixture.CreateClient()).UseFunctionInvocation().Build();
        var server = fixture.Server;
        server.Model.Responder = turn =>
        {
            if (turn.FunctionOutputsSinceLastUserMessage.Count == 0)
            {
                // While answering the first turn, arrange for the service to have lost it by the next one.
                server.Faults.ErrorOnNextCreate("previous_response_not_found", "Previous response with id 'x' not found.", param: "previous_response_id");
                return ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":1,"b":2}"""));
            }

            return ScriptedReply.WithText("Tool results: " + turn.FunctionOutputsSinceLastUserMessage.Count);
        };

        var response = await client.GetResponseAsync("go", new ChatOptions { Tools = [Add] });

        response.Text.Should().Be("Tool results: 1");
        var requests = server.Requests;
        requests.Should().HaveCount(3);
        requests[1].PreviousResponseId.Should().NotBeNull("the loop's second turn was chained");
        requests[2].PreviousResponseId.Should().BeNull("after previous_response_not_found the turn was resent in full");
        requests[2].InputItemTypes.Should().Equal("message", "function_call", "function_call_output");
        server.HandshakeCount.Should().Be(1);
    }
}
