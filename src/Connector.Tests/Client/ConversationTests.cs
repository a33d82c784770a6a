using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>Multi-turn chats: only new items are sent, chained, on the socket that holds the chain.</summary>
public class ConversationTests
{
    [Fact]
    public async Task Every_update_carries_the_response_id_as_conversation_id_even_with_store_false()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();

        var updates = await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("hi"));

        updates.Should().OnlyContain(u => u.ConversationId == u.ResponseId && u.ConversationId!.StartsWith("resp_"));
        fixture.Server.Requests[0].Store.Should().BeFalse();
    }

    [Fact]
    public async Task Turns_continued_by_conversation_id_send_only_the_new_message_chained()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var sent = new List<ResponsesRequestInfo>();
        var client = fixture.CreateClient(o => o.RequestSent = sent.Add);

        var first = await client.GetResponseAsync("one");
        var second = await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId });
        var third = await client.GetResponseAsync("three", new ChatOptions { ConversationId = second.ConversationId });

        third.Text.Should().Be("You said: three");
        var requests = fixture.Server.Requests;
        requests[1].PreviousResponseId.Should().Be(first.ResponseId);
        requests[2].PreviousResponseId.Should().Be(second.ResponseId);
        requests.Skip(1).Should().OnlyContain(r => r.InputCount == 1);
        fixture.Server.HandshakeCount.Should().Be(1);
        sent.Select(s => s.Status).Should().Equal(ChainStatus.NewConversation, ChainStatus.Chained, ChainStatus.Chained);
        sent[2].FullHistoryItems.Should().Be(5);
        sent[2].FullHistoryBytes.Should().BeGreaterThan(sent[2].BytesSent);
    }

    [Fact]
    public async Task A_resent_full_history_is_matched_by_content_and_only_the_tail_is_sent()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        List<ChatMessage> history = [new(ChatRole.System, "Be kind."), new(ChatRole.User, "one")];

        var first = await client.GetResponseAsync(history);
        history.AddRange(first.Messages.Select(m => new ChatMessage(m.Role, m.Text)));
        history.Add(new ChatMessage(ChatRole.User, "two"));
        var second = await client.GetResponseAsync(history);

        second.Text.Should().Be("You said: two");
        var request = fixture.Server.Requests[1];
        request.PreviousResponseId.Should().Be(first.ResponseId);
        request.InputItemTypes.Should().Equal("message");
        request.Json.Should().Contain("two").And.NotContain("one");
        fixture.Server.DuplicateItemCount.Should().Be(0);
    }

    [Fact]
    public async Task An_edited_history_goes_out_as_a_new_full_create()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var sent = new List<ResponsesRequestInfo>();
        var client = fixture.CreateClient(o => o.RequestSent = sent.Add);
        var first = await client.GetResponseAsync("one");

        await client.GetResponseAsync([new(ChatRole.User, "one, edited"), new(ChatRole.Assistant, first.Text), new(ChatRole.User, "two")]);

        var request = fixture.Server.Requests[1];
        request.PreviousResponseId.Should().BeNull();
        request.InputItemTypes.Should().Equal("message", "message", "message");
        sent[1].Status.Should().Be(ChainStatus.NewConversation);
    }

    [Fact]
    public async Task Changed_instructions_start_a_new_chain_from_the_transcript()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var sent = new List<ResponsesRequestInfo>();
        var client = fixture.CreateClient(o => o.RequestSent = sent.Add);
        var first = await client.GetResponseAsync("one", new ChatOptions { Instructions = "A" });

        await client.GetResponseAsync("two", new ChatOptions { Instructions = "B", ConversationId = first.ConversationId });

        fixture.Server.Requests[1].PreviousResponseId.Should().BeNull();
        fixture.Server.Requests[1].InputItemTypes.Should().Equal("message", "message", "message");
        sent[1].Status.Should().Be(ChainStatus.SettingsChanged);
    }

    [Fact]
    public async Task Two_interleaved_conversations_keep_their_chains_on_their_own_sockets()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();

        var a1 = await client.GetResponseAsync("a1");
        var b1 = await client.GetResponseAsync("b1");
        var a2 = await client.GetResponseAsync("a2", new ChatOptions { ConversationId = a1.ConversationId });
        var b2 = await client.GetResponseAsync("b2", new ChatOptions { ConversationId = b1.ConversationId });
        var a3 = await client.GetResponseAsync("a3", new ChatOptions { ConversationId = a2.ConversationId });

        a3.Text.Should().Be("You said: a3");
        b2.Text.Should().Be("You said: b2");
        var requests = fixture.Server.Requests;
        requests[2].PreviousResponseId.Should().Be(a1.ResponseId);
        requests[3].PreviousResponseId.Should().Be(b1.ResponseId);
        requests[4].PreviousResponseId.Should().Be(a2.ResponseId);
        requests[2].ConnectionId.Should().Be(requests[0].ConnectionId).And.Be(requests[4].ConnectionId);
        requests[3].ConnectionId.Should().Be(requests[1].ConnectionId).And.NotBe(requests[0].ConnectionId);
        fixture.Server.HandshakeCount.Should().Be(2);
        fixture.Server.DuplicateItemCount.Should().Be(0);
    }

    [Fact]
    public async Task At_the_connection_bound_a_displaced_conversation_recovers_with_a_full_create()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var sent = new List<ResponsesRequestInfo>();
        var client = fixture.CreateClient(o => { o.MaxConnections = 1; o.RequestSent = sent.Add; });

        var a1 = await client.GetResponseAsync("a1");
        await client.GetResponseAsync("b1");
        var a2 = await client.GetResponseAsync("a2", new ChatOptions { ConversationId = a1.ConversationId });

        a2.Text.Should().Be("You said: a2");
        fixture.Server.Requests[2].PreviousResponseId.Should().BeNull();
        fixture.Server.Requests[2].InputItemTypes.Should().Equal("message", "message", "message");
        sent[2].Status.Should().Be(ChainStatus.NotCachedOnSocket);
        fixture.Server.HandshakeCount.Should().Be(1);
    }

    [Fact]
    public async Task Unknown_conversation_id_with_store_false_throws_a_clear_exception()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();

        var act = () => client.GetResponseAsync("hi", new ChatOptions { ConversationId = "resp_from_another_process" });

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.UnknownConversation);
        error.Message.Should().Contain("resp_from_another_process").And.Contain("store=false");
        fixture.Server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Stored_responses_can_be_continued_by_a_client_that_never_saw_them()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var writer = fixture.CreateClient(o => o.Store = true);
        var reader = fixture.CreateClient(o => o.Store = true);

        var first = await writer.GetResponseAsync("remember me");
        var second = await reader.GetResponseAsync("next", new ChatOptions { ConversationId = first.ConversationId });

        second.Text.Should().Be("You said: next");
        fixture.Server.Requests[1].PreviousResponseId.Should().Be(first.ResponseId);
        fixture.Server.Requests[1].Store.Should().BeTrue();
    }

    [Fact]
    public async Task A_stored_id_the_service_does_not_know_either_surfaces_instead_of_losing_the_history()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.Store = true);

        var act = () => client.GetResponseAsync("hi", new ChatOptions { ConversationId = "resp_nobody_has" });

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Code.Should().Be("previous_response_not_found");
        fixture.Server.Requests.Should().ContainSingle("there is no transcript to rebuild the turn from");
    }

    [Fact]
    public async Task An_evicted_conversation_fails_by_id_but_recovers_from_a_full_history()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxTrackedResponses = 1);
        var a1 = await client.GetResponseAsync("a1");
        await client.GetResponseAsync("b1");

        var byId = () => client.GetResponseAsync("a2", new ChatOptions { ConversationId = a1.ConversationId });
        (await byId.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.UnknownConversation);

        var full = await client.GetResponseAsync([new(ChatRole.User, "a1"), new(ChatRole.Assistant, a1.Text), new(ChatRole.User, "a2")]);
        full.Text.Should().Be("You said: a2");
        fixture.Server.Requests[^1].PreviousResponseId.Should().BeNull();
        fixture.Server.Requests[^1].InputCount.Should().Be(3);
    }

    [Fact]
    public async Task Server_conversation_ids_are_sent_as_conversation_and_reported_back()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();

        var updates = await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("hi", new ChatOptions { ConversationId = "conv_abc" }));

        fixture.Server.Requests[0].Json.Should().Contain("\"conversation\":\"conv_abc\"");
        fixture.Server.Requests[0].PreviousResponseId.Should().BeNull();
        updates.Should().OnlyContain(u => u.ConversationId == "conv_abc");
    }

    [Fact]
    public async Task Warmup_by_id_is_chained_by_the_first_real_turn()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var options = new ChatOptions { Instructions = "Be brief.", Tools = [AIFunctionFactory.Create((int a) => a, "echo")], ToolMode = ChatToolMode.None };

        var warm = await client.WarmupAsync([new ChatMessage(ChatRole.System, "You are helpful.")], options);
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions
        {
            Instructions = "Be brief.", Tools = options.Tools, ToolMode = ChatToolMode.None, ConversationId = warm,
        });

        response.Text.Should().Be("You said: hi");
        var requests = fixture.Server.Requests;
        requests[0].Json.Should().Contain("\"generate\":false").And.Contain("\"name\":\"echo\"");
        requests[1].Has("generate").Should().BeFalse();
        requests[1].PreviousResponseId.Should().Be(warm);
        requests[1].InputItemTypes.Should().Equal("message");
        fixture.Server.HandshakeCount.Should().Be(1);
    }

    [Fact]
    public async Task Warmup_is_chained_by_a_full_history_that_starts_with_its_input()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.ConversationIdMode = ConversationIdMode.Never);
        var system = new ChatMessage(ChatRole.System, "You are helpful.");

        var warm = await client.WarmupAsync([system]);
        await client.GetResponseAsync([new ChatMessage(ChatRole.System, "You are helpful."), new ChatMessage(ChatRole.User, "hi")]);

        fixture.Server.Requests[1].PreviousResponseId.Should().Be(warm);
        fixture.Server.Requests[1].InputItemTypes.Should().Equal("message");
    }

    [Fact]
    public async Task With_conversation_ids_turned_off_a_resent_history_is_still_chained()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.ConversationIdMode = ConversationIdMode.Never);

        var first = await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("one"));
        await client.GetResponseAsync([new(ChatRole.User, "one"), new(ChatRole.Assistant, string.Concat(first.Select(u => u.Text))), new(ChatRole.User, "two")]);

        first.Should().OnlyContain(u => u.ConversationId == null);
        fixture.Server.Requests[1].PreviousResponseId.Should().Be(first[0].ResponseId);
        fixture.Server.Requests[1].InputCount.Should().Be(1);
    }
}
