using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Integration;

/// <summary>
/// Microsoft Agent Framework 1.28 on top of the client: the session keeps the ConversationId we return, so run 2
/// sends only the new user message with that id, and the agent's instructions go out on every request.
/// </summary>
public class AgentFrameworkTests
{
    private const string BeBrief = "\"instructions\":\"be brief\"";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_runs_in_one_session_chain_every_request_on_one_socket(bool streamSecondRun)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var server = fixture.Server;
        var calls = 0;
        var weather = AIFunctionFactory.Create(
            (string city) => { calls++; return $"sunny in {city}"; }, "get_weather", "Gets the weather for a city.");
        var agent = fixture.CreateClient().AsAIAgent(instructions: "be brief", tools: [weather]);
        var session = await agent.CreateSessionAsync();

        // Run 1: the model calls get_weather, then the default model reports the tool result.
        server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("get_weather", """{"city":"Paris"}""")));
        var first = await agent.RunAsync("What is the weather in Paris?", session);

        calls.Should().Be(1);
        first.Text.Should().Be("Tool results: sunny in Paris");
        var afterRun1 = ConversationIdOf(session);
        afterRun1.Should().StartWith("resp_");

        // Run 2: no tool call this time; the echo proves the server resolved the whole conversation.
        server.Model.Responder = turn => ScriptedReply.WithText($"You said: {turn.LastUserText} ({turn.Context.Count} items)");
        string text;
        if (streamSecondRun)
        {
            var updates = new List<AgentResponseUpdate>();
            await foreach (var update in agent.RunStreamingAsync("And tomorrow?", session)) updates.Add(update);
            text = string.Concat(updates.Select(u => u.Text));
        }
        else
        {
            text = (await agent.RunAsync("And tomorrow?", session)).Text;
        }

        // user, function_call, function_call_output, assistant message, user.
        text.Should().Be("You said: And tomorrow? (5 items)");
        var requests = server.Requests;
        var dump = string.Join("\n", requests);
        requests.Should().HaveCount(3, dump);
        requests[0].PreviousResponseId.Should().BeNull();
        requests[0].InputItemTypes.Should().Equal(["message"], dump);
        requests[0].Json.Should().Contain("\"name\":\"get_weather\"");
        requests[1].PreviousResponseId.Should().StartWith("resp_");
        requests[1].InputItemTypes.Should().Equal(["function_call_output"], dump);
        requests[2].PreviousResponseId.Should().Be(afterRun1, "run 2 continues the session's response:\n" + dump);
        requests[2].InputItemTypes.Should().Equal(["message"], "only the new user message goes out:\n" + dump);
        requests[2].Json.Should().Contain("And tomorrow?").And.NotContain("Paris");
        requests.Should().OnlyContain(r => r.Json.Contains(BeBrief), "instructions go on every response.create");
        requests.Select(r => r.ConnectionId).Should().AllBeEquivalentTo(requests[0].ConnectionId);
        server.HandshakeCount.Should().Be(1);
        server.DuplicateItemCount.Should().Be(0);
        ConversationIdOf(session).Should().StartWith("resp_").And.NotBe(afterRun1);
    }

    [Fact]
    public async Task A_streaming_run_with_a_tool_leaves_a_response_id_in_the_session()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var weather = AIFunctionFactory.Create((string city) => $"rain in {city}", "get_weather", "Gets the weather for a city.");
        var agent = fixture.CreateClient().AsAIAgent(instructions: "be brief", tools: [weather]);
        var session = await agent.CreateSessionAsync();
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("get_weather", """{"city":"Oslo"}""")));

        var updates = new List<AgentResponseUpdate>();
        await foreach (var update in agent.RunStreamingAsync("Weather in Oslo?", session)) updates.Add(update);

        string.Concat(updates.Select(u => u.Text)).Should().Be("Tool results: rain in Oslo");
        ConversationIdOf(session).Should().StartWith("resp_");
        var requests = fixture.Server.Requests;
        requests.Should().HaveCount(2);
        requests[1].PreviousResponseId.Should().StartWith("resp_");
        requests[1].InputItemTypes.Should().Equal("function_call_output");
        requests.Should().OnlyContain(r => r.Json.Contains(BeBrief));
        fixture.Server.HandshakeCount.Should().Be(1);
        fixture.Server.DuplicateItemCount.Should().Be(0);
    }

    private static string? ConversationIdOf(AgentSession session) =>
        session.Should().BeOfType<ChatClientAgentSession>().Subject.ConversationId;
}
