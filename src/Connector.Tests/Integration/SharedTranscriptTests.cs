using System.Text.Json;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Integration;

/// <summary>
/// Conversations that survive restarts and scale out: two clients ("nodes") or a client and its replacement ("a
/// restart") sharing one <see cref="DistributedTranscriptStore"/> on a real Redis, at store=false.
/// </summary>
public class SharedTranscriptTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly AIFunction Add = AIFunctionFactory.Create((int a, int b) => a + b, "add");

    private DistributedTranscriptStore NewStore(out string prefix)
    {
        prefix = "test-" + Guid.NewGuid().ToString("N") + ":";
        return new DistributedTranscriptStore(redis.CreateCache(), new DistributedTranscriptStoreOptions { KeyPrefix = prefix });
    }

    [RedisFact]
    public async Task Two_nodes_continue_one_store_false_tool_loop_alternately_rebuilding_once_per_switch_and_chaining_otherwise()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var store = NewStore(out _);
        var sentA = new List<ResponsesRequestInfo>();
        var sentB = new List<ResponsesRequestInfo>();
        var nodeA = new ChatClientBuilder(fixture.CreateClient(o => { o.TranscriptStore = store; o.RequestSent = sentA.Add; })).UseFunctionInvocation().Build();
        var nodeB = new ChatClientBuilder(fixture.CreateClient(o => { o.TranscriptStore = store; o.RequestSent = sentB.Add; })).UseFunctionInvocation().Build();
        fixture.Server.Model.Responder = turn => turn.Context[^1].TryGetProperty("role", out var role) && role.GetString() == "user"
            ? ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":1,"b":2}"""))
            : ScriptedReply.WithText($"Done ({turn.Context.Count} items)");

        var options = new ChatOptions { Tools = [Add] };
        var turn1 = await nodeA.GetResponseAsync("first", options).Bounded();
        var turn2 = await nodeB.GetResponseAsync("second", new ChatOptions { Tools = [Add], ConversationId = turn1.ConversationId }).Bounded();
        var turn3 = await nodeA.GetResponseAsync("third", new ChatOptions { Tools = [Add], ConversationId = turn2.ConversationId }).Bounded();

        // user, call, output, answer per user turn: the model saw the whole conversation every time.
        turn1.Text.Should().Be("Done (3 items)");
        turn2.Text.Should().Be("Done (7 items)");
        turn3.Text.Should().Be("Done (11 items)");
        sentA.Select(s => s.Status).Should().Equal(ChainStatus.NewConversation, ChainStatus.Chained, ChainStatus.NotCachedOnSocket, ChainStatus.Chained);
        sentB.Select(s => s.Status).Should().Equal(ChainStatus.NotCachedOnSocket, ChainStatus.Chained);
        sentB[0].ItemsSent.Should().Be(5, "node B rebuilt turn 1 (user, call, output, answer) from Redis, plus the new message");
        fixture.Server.Requests.Should().OnlyContain(r => r.Store == false);
    }

    [RedisFact]
    public async Task An_agent_framework_session_resumes_from_its_serialized_state_after_a_restart()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var store = NewStore(out _);
        var weather = AIFunctionFactory.Create((string city) => $"sunny in {city}", "get_weather", "Gets the weather for a city.");
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("get_weather", """{"city":"Paris"}""")));

        JsonElement saved;
        {
            await using var before = new ResponsesWebSocketChatClient(Options(fixture, store));
            var agent = before.AsAIAgent(instructions: "be brief", tools: [weather]);
            var session = await agent.CreateSessionAsync();
            (await agent.RunAsync("What is the weather in Paris?", session).Bounded()).Text.Should().Be("Tool results: sunny in Paris");
            saved = await agent.SerializeSessionAsync(session);
        }

        await using var after = new ResponsesWebSocketChatClient(Options(fixture, store));
        var restarted = after.AsAIAgent(instructions: "be brief", tools: [weather]);
        var resumed = await restarted.DeserializeSessionAsync(saved);
        fixture.Server.Model.Responder = turn => ScriptedReply.WithText($"You said: {turn.LastUserText} ({turn.Context.Count} items)");

        var reply = await restarted.RunAsync("And tomorrow?", resumed).Bounded();

        reply.Text.Should().Be("You said: And tomorrow? (5 items)", "the whole conversation was rebuilt from Redis after the restart");
        var last = fixture.Server.Requests[^1];
        last.PreviousResponseId.Should().BeNull("the new process's socket holds no chain");
        last.InputItemTypes.Should().Equal("message", "function_call", "function_call_output", "message", "message");
    }

    [Fact]
    public async Task Without_the_shared_store_the_same_restart_fails_as_an_unknown_conversation()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var first = await fixture.CreateClient().GetResponseAsync("one").Bounded();

        var act = () => fixture.CreateClient().GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId }).Bounded();

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.UnknownConversation);
    }

    [RedisFact]
    public async Task A_resent_history_is_matched_by_content_on_another_node()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var store = NewStore(out _);
        var sentB = new List<ResponsesRequestInfo>();
        var nodeA = fixture.CreateClient(o => o.TranscriptStore = store);
        var nodeB = fixture.CreateClient(o => { o.TranscriptStore = store; o.RequestSent = sentB.Add; });
        List<ChatMessage> history = [new(ChatRole.User, "one")];
        var first = await nodeA.GetResponseAsync(history).Bounded();
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "two"));

        var second = await nodeB.GetResponseAsync(history).Bounded();

        second.ConversationId.Should().NotBeNull();
        sentB.Single().Status.Should().Be(ChainStatus.NotCachedOnSocket, "the history was recognised as node A's conversation");
        var third = await nodeB.GetResponseAsync("three", new ChatOptions { ConversationId = second.ConversationId }).Bounded();
        third.Text.Should().Be("You said: three");
        fixture.Server.Requests[^1].PreviousResponseId.Should().Be(second.ResponseId, "chained on node B's socket from then on");
    }

    [RedisFact]
    public async Task Entries_expire_with_the_transcript_idle_timeout()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var store = NewStore(out var prefix);
        var client = fixture.CreateClient(o => { o.TranscriptStore = store; o.TranscriptIdleTimeout = TimeSpan.FromMinutes(7); });

        await client.GetResponseAsync("one").Bounded();

        var db = await redis.DatabaseAsync();
        var server = db.Multiplexer.GetServer(db.Multiplexer.GetEndPoints()[0]);
        var keys = server.Keys(pattern: prefix + "*").ToList();
        keys.Should().NotBeEmpty();
        foreach (var key in keys)
        {
            var ttl = await db.KeyTimeToLiveAsync(key);
            ttl.Should().NotBeNull().And.BeGreaterThan(TimeSpan.FromMinutes(6)).And.BeLessThanOrEqualTo(TimeSpan.FromMinutes(7));
        }
    }

    [RedisFact]
    public async Task A_corrupt_entry_is_ignored_an_unknown_conversation_at_store_false_never_a_crash()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var cache = redis.CreateCache();
        var prefix = "test-" + Guid.NewGuid().ToString("N") + ":";
        var store = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = prefix });
        var first = await fixture.CreateClient(o => o.TranscriptStore = store).GetResponseAsync("one").Bounded();

        var db = await redis.DatabaseAsync();
        var server = db.Multiplexer.GetServer(db.Multiplexer.GetEndPoints()[0]);
        foreach (var key in server.Keys(pattern: prefix + "*")) await db.HashSetAsync(key, "data", new byte[] { 1, 2, 3, 4, 5 });
        var other = fixture.CreateClient(o => o.TranscriptStore = store);

        var byId = () => other.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId }).Bounded();
        (await byId.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.UnknownConversation);

        var byHistory = await other.GetResponseAsync([new(ChatRole.User, "one"), .. first.Messages, new(ChatRole.User, "two")]).Bounded();
        byHistory.Text.Should().Be("You said: two");
        fixture.Server.Requests[^1].InputCount.Should().Be(3, "a full create from the caller's own history");
    }

    private static ResponsesWebSocketChatClientOptions Options(ServerFixture fixture, ITranscriptStore store) => new()
    {
        Endpoint = fixture.Server.BaseUri,
        ApiKey = fixture.Server.ApiKey,
        Model = "local-model",
        EncryptedReasoning = EncryptedReasoningMode.Never,
        TranscriptStore = store,
    };
}
