using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Integration;

/// <summary>
/// Automatic function calling through the ResponsesWebSocket.SemanticKernel pipeline (Semantic Kernel 1.82's own loop),
/// and the adapter that pipeline needs: the client reports a ConversationId, which that loop cannot take.
/// </summary>
public class SemanticKernelFunctionCallingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_user_turns_with_automatic_function_calling_send_only_new_items_after_the_first_frame()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var server = fixture.Server;
        var frames = new List<ResponsesRequestInfo>();
        var calls = new List<(int A, int B)>();
        var builder = Kernel.CreateBuilder().AddResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions
        {
            Endpoint = server.BaseUri,
            ApiKey = server.ApiKey,
            Model = "gpt-5-mini",
            RequestSent = info =>
            {
                lock (frames) frames.Add(info);
            },
        });
        builder.Plugins.AddFromFunctions("math", [KernelFunctionFactory.CreateFromMethod((int a, int b) => { calls.Add((a, b)); return a + b; }, "add")]);
        var kernel = builder.Build();
        await using var services = (ServiceProvider)kernel.Services;
        var chat = kernel.GetRequiredService<IChatCompletionService>();
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var history = new ChatHistory();

        // Turn 1, not streamed: the model calls math_add, then (default reply) reports the tool result.
        server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("math_add", """{"a":2,"b":40}""")));
        history.AddUserMessage("What is 2 + 40?");
        var first = await chat.GetChatMessageContentAsync(history, settings, kernel).WaitAsync(Timeout);
        history.Add(first);

        // Turn 2, streamed: Semantic Kernel resends the whole history, without an id, as new objects.
        server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("math_add", """{"a":3,"b":4}""")));
        history.AddUserMessage("And 3 + 4?");
        var second = await StreamTextAsync(chat, history, settings, kernel).WaitAsync(Timeout);

        first.Content.Should().Be("Tool results: 42");
        second.Should().Be("Tool results: 7");
        calls.Should().Equal((2, 40), (3, 4));

        var requests = server.Requests;
        var dump = string.Join("\n", requests);
        requests.Select(r => r.InputItemTypes.ToArray()).Should().BeEquivalentTo(
            new[] { new[] { "message" }, ["function_call_output"], ["message"], ["function_call_output"] },
            o => o.WithStrictOrdering(),
            "after the first frame only the new tool result or user message goes out:\n" + dump);
        requests[0].PreviousResponseId.Should().BeNull();
        requests.Skip(1).Should().OnlyContain(r => r.PreviousResponseId != null, dump);
        requests.Select(r => r.PreviousResponseId).Skip(1).Should().OnlyHaveUniqueItems("each frame continues the response before it");
        requests[2].Json.Should().Contain("And 3 + 4?").And.NotContain("What is 2 + 40?");
        requests.Select(r => r.ConnectionId).Distinct().Should().ContainSingle("the whole conversation runs on one socket");
        server.HandshakeCount.Should().Be(1);
        server.DuplicateItemCount.Should().Be(0);

        frames.Select(f => f.Status).Should().Equal(ChainStatus.NewConversation, ChainStatus.Chained, ChainStatus.Chained, ChainStatus.Chained);
        frames[3].FullHistoryItems.Should().BeGreaterThan(frames[3].ItemsSent, "a full resend would have carried the whole history");
    }

    [Fact]
    public async Task InvokePromptAsync_with_FunctionChoiceBehavior_Auto_runs_the_kernel_function_over_a_chained_frame()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var calls = 0;
        var builder = Kernel.CreateBuilder().AddResponsesWebSocketChatClient("gpt-5-mini", fixture.Server.ApiKey, fixture.Server.BaseUri);
        builder.Plugins.AddFromFunctions("math", [KernelFunctionFactory.CreateFromMethod((int a, int b) => { calls++; return a + b; }, "add")]);
        var kernel = builder.Build();
        await using var services = (ServiceProvider)kernel.Services;
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("math_add", """{"a":2,"b":40}""")));

        var result = await kernel.InvokePromptAsync(
            "What is 2 + 40?",
            new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() })).WaitAsync(Timeout);

        result.ToString().Should().Be("Tool results: 42");
        calls.Should().Be(1);
        var requests = fixture.Server.Requests;
        requests.Should().HaveCount(2);
        requests[0].Json.Should().Contain("\"name\":\"math_add\"").And.Contain("\"tool_choice\":\"auto\"");
        requests[1].PreviousResponseId.Should().StartWith("resp_");
        requests[1].InputItemTypes.Should().Equal("function_call_output");
    }

    /// <summary>
    /// The upstream bug, pinned: Semantic Kernel's loop straight over a client that reports a ConversationId runs no
    /// kernel function. When this test fails, Semantic Kernel has fixed it and the adapter can go.
    /// </summary>
    [Fact]
    public async Task Without_the_adapter_Semantic_Kernel_runs_no_kernel_function_over_a_client_that_reports_ConversationId()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddChatClient(fixture.CreateClient()).UseKernelFunctionInvocation();
        var (kernel, calls) = WithAddFunction(builder);

        var reply = await AskToAddAsync(fixture.Server, kernel);

        calls().Should().Be(0, "Semantic Kernel 1.82 fails the call before it runs the function");
        reply.Should().StartWith("Tool results: Error", "the model is sent an error result instead");
        fixture.Server.Requests[1].InputItemTypes.Should().Equal("function_call_output");
    }

    [Fact]
    public async Task The_adapter_runs_the_kernel_function_and_other_callers_of_the_same_client_keep_their_ConversationId()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddChatClient(fixture.CreateClient()).UseResponsesWebSocketKernelFunctionInvocation();
        var (kernel, calls) = WithAddFunction(builder);

        var reply = await AskToAddAsync(fixture.Server, kernel);

        calls().Should().Be(1);
        reply.Should().Be("Tool results: 42");
        fixture.Server.Requests[1].PreviousResponseId.Should().StartWith("resp_", "the resent history is still chained by content");
        fixture.Server.Requests[1].InputItemTypes.Should().Equal("function_call_output");

        // Calls that offer no kernel function are not Semantic Kernel's loop: their responses keep the id.
        var client = kernel.GetRequiredService<IChatClient>();
        var plain = await client.GetResponseAsync("Hello").WaitAsync(Timeout);
        var withTool = await client.GetResponseAsync(
            "Add",
            new ChatOptions { Tools = [AIFunctionFactory.Create((int a, int b) => a + b, "plain_add")] }).WaitAsync(Timeout);
        plain.ConversationId.Should().StartWith("resp_");
        withTool.ConversationId.Should().StartWith("resp_");
        withTool.Text.Should().StartWith("Tool results: ");
    }

    private static (Kernel Kernel, Func<int> Calls) WithAddFunction(IKernelBuilder builder)
    {
        var calls = 0;
        builder.Plugins.AddFromFunctions("math", [KernelFunctionFactory.CreateFromMethod((int a, int b) => { calls++; return a + b; }, "add")]);
        return (builder.Build(), () => calls);
    }

    private static async Task<string?> AskToAddAsync(LocalResponsesServer server, Kernel kernel)
    {
        server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("math_add", """{"a":2,"b":40}""")));
        var history = new ChatHistory();
        history.AddUserMessage("What is 2 + 40?");
        var chat = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var reply = await chat.GetChatMessageContentAsync(history, settings, kernel).WaitAsync(Timeout);
        return reply.Content;
    }

    private static async Task<string> StreamTextAsync(IChatCompletionService chat, ChatHistory history, PromptExecutionSettings settings, Kernel kernel)
    {
        var text = new StringBuilder();
        await foreach (var chunk in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel)) text.Append(chunk.Content);
        return text.ToString();
    }
}
