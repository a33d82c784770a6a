using System.ComponentModel;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>A function-calling loop through FunctionInvokingChatClient against the local server.</summary>
public class FunctionInvocationTests
{
    [Description("Adds two numbers.")]
    private static int Add(int a, int b) => a + b;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Tool_loop_invokes_the_function_and_answers_with_its_result(bool streaming)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var inner = fixture.CreateClient();
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        var calls = 0;
        var add = AIFunctionFactory.Create((int a, int b) => { calls++; return a + b; }, "add", "Adds two numbers.");
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":2,"b":40}""")));
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":1,"b":1}"""), new ScriptedFunctionCall("add", """{"a":3,"b":4}""")));
        var options = new ChatOptions { Tools = [add] };

        string text;
        if (streaming)
        {
            var updates = await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("What is 2 + 40?", options));
            text = string.Concat(updates.Select(u => u.Text));
            updates.Where(u => u.Role == ChatRole.Assistant).Should().OnlyContain(u => !string.IsNullOrEmpty(u.MessageId));
        }
        else
        {
            text = (await client.GetResponseAsync("What is 2 + 40?", options)).Text;
        }

        calls.Should().Be(3);
        text.Should().Be("Tool results: 42, 2, 7");
        var requests = fixture.Server.Requests;
        requests.Should().HaveCount(3);
        requests[0].InputItemTypes.Should().Equal("message");
        requests[0].PreviousResponseId.Should().BeNull();
        requests[0].Json.Should().Contain("\"strict\":false").And.Contain("\"name\":\"add\"");
        requests[1].InputItemTypes.Should().Equal("function_call_output");
        requests[1].PreviousResponseId.Should().StartWith("resp_");
        requests[2].InputItemTypes.Should().Equal("function_call_output", "function_call_output");
        requests[2].PreviousResponseId.Should().StartWith("resp_").And.NotBe(requests[1].PreviousResponseId);
        fixture.Server.HandshakeCount.Should().Be(1);
        fixture.Server.DuplicateItemCount.Should().Be(0);
    }

    [Fact]
    public async Task Function_calls_are_sent_back_byte_for_byte_when_a_full_history_is_resent()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var inner = fixture.CreateClient();
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":2,"b":40}""")));
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(Add, "add")] };
        var first = await inner.GetResponseAsync("sum", options);

        // A caller that resends the whole history on a new client instance (so nothing can be chained).
        var other = fixture.CreateClient();
        var call = first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        await other.GetResponseAsync([new ChatMessage(ChatRole.User, "sum"), .. first.Messages,
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, 42)])], options);

        fixture.Server.Requests[1].Json.Should().Contain("""
            "arguments":"{\"a\":2,\"b\":40}"
            """.Trim());
        fixture.Server.Requests[1].Json.Should().Contain("\"id\":\"fc_", "the model's item goes back verbatim, id included");
    }
}
