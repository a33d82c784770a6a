using Microsoft.Extensions.AI;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Conversations;

/// <summary>
/// Conversation scopes: content matching, ConversationId lookup and the shared store's keys never cross scopes, so two
/// users with identical histories never continue each other's chain (in memory and on a real Redis).
/// </summary>
public class ConversationScopeTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static ChatOptions In(string scope, string? conversationId = null) =>
        new() { ConversationId = conversationId, AdditionalProperties = new() { ["conversation_scope"] = scope } };

    [Fact]
    public async Task Two_scopes_with_identical_histories_never_chain_onto_each_other_and_each_still_chains_onto_its_own()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);
        await AssertIsolatedAsync(fixture, client, client);
    }

    [RedisFact]
    public async Task Two_scopes_with_identical_histories_never_chain_onto_each_other_through_a_shared_store()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var store = new DistributedTranscriptStore(redis.CreateCache(), new DistributedTranscriptStoreOptions { KeyPrefix = "test-" + Guid.NewGuid().ToString("N") + ":" });
        var nodeA = fixture.CreateClient(o => { o.TranscriptStore = store; o.MaxConnections = 1; });
        var nodeB = fixture.CreateClient(o => { o.TranscriptStore = store; o.MaxConnections = 1; });
        await AssertIsolatedAsync(fixture, nodeA, nodeB);
    }

    [Fact]
    public async Task A_conversation_id_from_one_scope_is_unknown_in_another_at_store_false()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var alice = await client.GetResponseAsync("secret plan", In("alice")).Bounded();

        var act = () => client.GetResponseAsync("what was it?", In("mallory", alice.ConversationId)).Bounded();

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.UnknownConversation);
        (await client.GetResponseAsync("go on", In("alice", alice.ConversationId)).Bounded()).Text.Should().Be("You said: go on");
    }

    [RedisFact]
    public async Task A_conversation_id_from_one_scope_is_unknown_in_another_on_another_node()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var store = new DistributedTranscriptStore(redis.CreateCache(), new DistributedTranscriptStoreOptions { KeyPrefix = "test-" + Guid.NewGuid().ToString("N") + ":" });
        var alice = await fixture.CreateClient(o => o.TranscriptStore = store).GetResponseAsync("secret plan", In("alice")).Bounded();
        var other = fixture.CreateClient(o => o.TranscriptStore = store);

        var act = () => other.GetResponseAsync("what was it?", In("mallory", alice.ConversationId)).Bounded();

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.UnknownConversation);
        (await other.GetResponseAsync("go on", In("alice", alice.ConversationId)).Bounded()).Text.Should().Be("You said: go on");
    }

    [Fact]
    public async Task At_store_true_a_foreign_id_is_passed_to_the_service_without_the_clients_transcript()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var sent = new List<ResponsesRequestInfo>();
        var client = fixture.CreateClient(o => { o.Store = true; o.RequestSent = sent.Add; });
        var alice = await client.GetResponseAsync("secret plan", In("alice")).Bounded();

        await client.GetResponseAsync("hello", In("mallory", alice.ConversationId)).Bounded();

        sent[^1].FullHistoryItems.Should().Be(1, "mallory's call has no transcript of alice's: only the service decides what it may read");
    }

    [Fact]
    public async Task The_scope_falls_back_to_safety_identifier_then_user_then_the_client_default()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.ConversationScope = "tenant-1");
        var byDefault = await client.GetResponseAsync("one").Bounded();
        var bySafety = await client.GetResponseAsync("one", new ChatOptions { AdditionalProperties = new() { ["safety_identifier"] = "u-42" } }).Bounded();

        (await client.GetResponseAsync("two", In("tenant-1", byDefault.ConversationId)).Bounded()).Text.Should().Be("You said: two");
        (await client.GetResponseAsync("two", new ChatOptions { ConversationId = bySafety.ConversationId, AdditionalProperties = new() { ["user"] = "u-42" } }).Bounded())
            .Text.Should().Be("You said: two");
        var act = () => client.GetResponseAsync("two", new ChatOptions { ConversationId = bySafety.ConversationId }).Bounded();
        (await act.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.UnknownConversation);
        fixture.Server.Requests.Should().NotContain(r => r.Json.Contains("conversation_scope", StringComparison.Ordinal), "the scope is the client's, never sent");
    }

    /// <summary>
    /// Alice (on her node), then Bob (on his), send the same first message and get the same deterministic answer. Alice
    /// then resends that history plus a second message on Bob's node, whose socket caches Bob's identical response: without
    /// scopes her history would match his transcript and be chained onto his response. With them it is rebuilt from her
    /// own transcript (a full create), and her next resend chains onto that, in her scope.
    /// </summary>
    private static async Task AssertIsolatedAsync(ServerFixture fixture, ResponsesWebSocketChatClient aliceNode, ResponsesWebSocketChatClient bobNode)
    {
        var alice = await aliceNode.GetResponseAsync("hi", In("alice")).Bounded();
        var bob = await bobNode.GetResponseAsync("hi", In("bob")).Bounded();
        alice.Text.Should().Be(bob.Text, "identical histories, deterministic model");

        List<ChatMessage> aliceHistory = [new(ChatRole.User, "hi"), .. alice.Messages, new(ChatRole.User, "next")];
        var aliceNext = await bobNode.GetResponseAsync(aliceHistory, In("alice")).Bounded();
        var request = fixture.Server.Requests[^1];

        request.PreviousResponseId.Should().NotBe(bob.ResponseId, "Bob's chain is not Alice's");
        request.PreviousResponseId.Should().BeNull();
        request.InputCount.Should().Be(3, "rebuilt from Alice's own transcript");

        aliceHistory.AddRange(aliceNext.Messages);
        aliceHistory.Add(new ChatMessage(ChatRole.User, "again"));
        await bobNode.GetResponseAsync(aliceHistory, In("alice")).Bounded();
        fixture.Server.Requests[^1].PreviousResponseId.Should().Be(aliceNext.ResponseId, "the same scope still chains");

        (await bobNode.GetResponseAsync("more", In("bob", bob.ConversationId)).Bounded()).Text.Should().Be("You said: more");
    }
}
