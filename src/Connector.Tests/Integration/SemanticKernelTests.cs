using System.ComponentModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Integration;

/// <summary>
/// Semantic Kernel 1.82 on top of the client, wired by hand: SK re-sends the whole <see cref="ChatHistory"/> on every
/// user turn, without a ConversationId, as new objects, so each new turn must be recognised by content and chained.
/// (The ResponsesWebSocket.SemanticKernel registrations are covered in SemanticKernelRegistrationTests.)
/// </summary>
public class SemanticKernelTests
{
    private const string Question = "What is 2 + 40?";
    private const string FollowUp = "Thanks, and now?";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_user_turns_with_a_kernel_function_chain_every_request_on_one_socket(bool kernelFunctionInvocation)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var server = fixture.Server;
        var recorder = new ResponseIdRecorder();
        var calls = 0;
        var add = KernelFunctionFactory.CreateFromMethod(
            (int a, int b) => { calls++; return a + b; }, "add", "Adds two numbers.");

        var builder = Kernel.CreateBuilder();
        var pipeline = builder.Services.AddChatClient(fixture.CreateClient());
        // SK's own loop (runs IAutoFunctionInvocationFilters, with the companion package's adapter) or the plain MEAI one.
        pipeline = kernelFunctionInvocation ? pipeline.UseResponsesWebSocketKernelFunctionInvocation() : pipeline.UseFunctionInvocation();
        // A pass-through under the loop that only notes the ConversationId of each response the client returns.
        pipeline.Use(recorder.Wrap);
        builder.Plugins.AddFromFunctions("math", [add]);
        var kernel = builder.Build();
        var chat = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
        var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

        // Turn 1: the model calls math_add, then the default model reports the tool result.
        server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("math_add", """{"a":2,"b":40}""")));
        var history = new ChatHistory();
        history.AddUserMessage(Question);
        var first = await chat.GetChatMessageContentAsync(history, settings, kernel);
        history.Add(first);

        // The client reports the id (the recorder sits beneath the loop); with SK's loop, the adapter withholds it above.
        first.Content.Should().Be("Tool results: 42", "the kernel function must run:\n" + Dump(server.Requests));
        calls.Should().Be(1);
        recorder.Ids.Should().HaveCount(2).And.OnlyContain(id => id != null && id.StartsWith("resp_"));
        recorder.ConversationIds.Should().Equal(recorder.Ids, "the client reports the latest response id as ConversationId");
        var turn1ResponseId = recorder.Ids[^1];

        // Turn 2: SK re-sends user, assistant(call), tool(result), assistant(text), user — without a ConversationId.
        server.Model.Responder = turn => ScriptedReply.WithText($"You said: {turn.LastUserText} ({turn.Context.Count} items)");
        history.AddUserMessage(FollowUp);
        var second = await chat.GetChatMessageContentAsync(history, settings, kernel);
        history.Add(second);

        var requests = server.Requests;
        requests.Should().HaveCount(3, "two requests for turn 1 and one for turn 2:\n" + Dump(requests));
        requests[0].PreviousResponseId.Should().BeNull();
        requests[0].InputItemTypes.Should().Equal("message");
        requests[0].Json.Should().Contain("\"name\":\"math_add\"").And.Contain("\"tool_choice\":\"auto\"");
        requests[1].PreviousResponseId.Should().Be(recorder.Ids[0]);
        requests[1].InputItemTypes.Should().Equal("function_call_output");
        requests[2].PreviousResponseId.Should().Be(turn1ResponseId, "turn 2 continues the last response of turn 1:\n" + Dump(requests));
        requests[2].InputItemTypes.Should().Equal(["message"], "only the new user message goes out:\n" + Dump(requests));
        requests[2].Json.Should().Contain(FollowUp).And.NotContain(Question);
        requests.Select(r => r.ConnectionId).Should().AllBeEquivalentTo(requests[0].ConnectionId);
        server.HandshakeCount.Should().Be(1);
        server.DuplicateItemCount.Should().Be(0);

        // user, assistant(call), tool(result), assistant(text), user, assistant(text); the server saw all 5 earlier items.
        second.Content.Should().Be($"You said: {FollowUp} (5 items)");
        history.Should().HaveCount(6);
        history[1].Items.OfType<Microsoft.SemanticKernel.FunctionCallContent>().Should().ContainSingle();
        history[2].Items.OfType<Microsoft.SemanticKernel.FunctionResultContent>().Single().Result?.ToString().Should().Be("42");
        history.Where(m => m.Role == AuthorRole.Assistant && m.Content != null).Select(m => m.Content)
            .Should().Equal("Tool results: 42", $"You said: {FollowUp} (5 items)");
    }

    [Fact]
    public async Task InvokePromptAsync_goes_through_the_chat_client_service()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddChatClient(fixture.CreateClient());
        var kernel = builder.Build();

        // ChatClientAIService requires ChatClientMetadata from GetService.
        var result = await kernel.InvokePromptAsync("Say hi");

        result.ToString().Should().Be("You said: Say hi");
        fixture.Server.Requests.Should().ContainSingle().Which.Json.Should().Contain("\"model\":\"local-model\"");
    }

    [Fact]
    public async Task The_chat_completion_adapter_streams_and_the_next_turn_is_chained()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var builder = Kernel.CreateBuilder();
        builder.Services.AddChatClient(fixture.CreateClient());
        var kernel = builder.Build();
        var chat = kernel.GetRequiredService<IChatClient>().AsChatCompletionService(kernel.Services);
        var history = new ChatHistory();

        history.AddUserMessage("one");
        var text = new System.Text.StringBuilder();
        await foreach (var chunk in chat.GetStreamingChatMessageContentsAsync(history, kernel: kernel)) text.Append(chunk.Content);
        history.AddAssistantMessage(text.ToString());
        history.AddUserMessage("two");
        var reply = await chat.GetChatMessageContentAsync(history, kernel: kernel);

        text.ToString().Should().Be("You said: one");
        reply.Content.Should().Be("You said: two");
        var requests = fixture.Server.Requests;
        requests.Should().HaveCount(2);
        requests[1].PreviousResponseId.Should().StartWith("resp_");
        requests[1].InputItemTypes.Should().Equal("message");
        fixture.Server.HandshakeCount.Should().Be(1);
        fixture.Server.DuplicateItemCount.Should().Be(0);
    }

    private static string Dump(IEnumerable<ReceivedRequest> requests) => string.Join("\n", requests);

    /// <summary>Notes the ResponseId and ConversationId of every response passing through; changes nothing.</summary>
    private sealed class ResponseIdRecorder
    {
        private readonly List<string?> _ids = [];
        private readonly List<string?> _conversationIds = [];

        public IReadOnlyList<string?> ConversationIds
        {
            get
            {
                lock (_ids) return [.. _conversationIds];
            }
        }

        public IReadOnlyList<string?> Ids
        {
            get
            {
                lock (_ids) return [.. _ids];
            }
        }

        public IChatClient Wrap(IChatClient inner) => new Recording(inner, this);

        private void Add(string? id, string? conversationId)
        {
            lock (_ids)
            {
                _ids.Add(id);
                _conversationIds.Add(conversationId);
            }
        }

        private sealed class Recording(IChatClient inner, ResponseIdRecorder owner) : DelegatingChatClient(inner)
        {
            public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            {
                var response = await base.GetResponseAsync(messages, options, cancellationToken);
                owner.Add(response.ResponseId, response.ConversationId);
                return response;
            }

            public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
            {
                string? id = null, conversationId = null;
                await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
                {
                    id = update.ResponseId ?? id;
                    conversationId = update.ConversationId ?? conversationId;
                    yield return update;
                }

                owner.Add(id, conversationId);
            }
        }
    }
}
