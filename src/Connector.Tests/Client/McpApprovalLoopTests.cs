using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>
/// The MCP approval loop against the local server: the model asks (<c>mcp_approval_request</c> →
/// <see cref="ToolApprovalRequestContent"/>), the caller answers (<see cref="ToolApprovalResponseContent"/> →
/// <c>mcp_approval_response</c>), the model calls the tool (<c>mcp_call</c>) and answers. The scripted model only runs the
/// call when the answer names a request it can see in its context, as the service does; chained, resent as a full history,
/// and rebuilt after the server lost the chain.
/// </summary>
public class McpApprovalLoopTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static ChatOptions Options(string? conversationId = null) => new()
    {
        ConversationId = conversationId,
        Tools = [new HostedMcpServerTool("docs", "https://mcp.example/docs") { ApprovalMode = HostedMcpServerToolApprovalMode.AlwaysRequire }],
    };

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Approved_request_runs_the_call_on_the_chain(bool streaming, bool throughFunctionInvocation)
    {
        await using var fixture = await StartAsync();
        var client = fixture.CreateClient();
        IChatClient caller = throughFunctionInvocation ? new ChatClientBuilder(client).UseFunctionInvocation().Build() : client;

        var first = await GetAsync(caller, [new ChatMessage(ChatRole.User, "Delete item 7")], Options(), streaming);
        var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Should().ContainSingle().Subject;
        request.ToolCall.Should().BeOfType<McpServerToolCallContent>().Which.Arguments!["id"]!.ToString().Should().Be("7");
        first.FinishReason.Should().Be(ChatFinishReason.Stop);

        var second = await GetAsync(caller, [new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)])], Options(first.ConversationId), streaming);

        var sent = fixture.Server.Requests[^1];
        sent.PreviousResponseId.Should().Be(first.ResponseId);
        sent.InputItemTypes.Should().Equal("mcp_approval_response");
        AssertCallRan(second);
    }

    [Fact]
    public async Task Full_history_without_an_id_continues_the_chain_with_only_the_answer()
    {
        await using var fixture = await StartAsync();
        var client = fixture.CreateClient();
        var first = await client.GetResponseAsync("Delete item 7", Options()).WaitAsync(Timeout);
        var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();

        List<ChatMessage> history = [new(ChatRole.User, "Delete item 7"), .. first.Messages, new(ChatRole.User, [request.CreateResponse(approved: true)])];
        var second = await client.GetResponseAsync(history, Options()).WaitAsync(Timeout);

        var sent = fixture.Server.Requests[^1];
        sent.PreviousResponseId.Should().Be(first.ResponseId, "the history extends the known transcript, approval request included");
        sent.InputItemTypes.Should().Equal("mcp_approval_response");
        AssertCallRan(second);
    }

    [Fact]
    public async Task Full_rebuild_resends_the_request_verbatim_with_the_answer()
    {
        var script = new McpApprovalScript();
        await using var fixture = await StartAsync(script);
        var first = await fixture.CreateClient().GetResponseAsync("Delete item 7", Options()).WaitAsync(Timeout);
        var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        var requestItem = script.Produced.Single();

        // Another client has no transcript: it sends everything, and the server has only what it is sent.
        List<ChatMessage> history = [new(ChatRole.User, "Delete item 7"), .. first.Messages, new(ChatRole.User, [request.CreateResponse(approved: true)])];
        var second = await fixture.CreateClient().GetResponseAsync(history, Options()).WaitAsync(Timeout);

        var sent = fixture.Server.Requests[^1];
        sent.PreviousResponseId.Should().BeNull();
        sent.InputItemTypes.Should().Equal("message", "mcp_approval_request", "mcp_approval_response");
        sent.Json.Should().Contain(requestItem, "the model's request goes back byte for byte");
        AssertCallRan(second);
    }

    [Fact]
    public async Task Lost_chain_is_rebuilt_from_the_transcript_with_the_request_and_the_answer()
    {
        await using var fixture = await StartAsync();
        var client = fixture.CreateClient();
        var first = await client.GetResponseAsync("Delete item 7", Options()).WaitAsync(Timeout);
        var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();
        fixture.Server.Faults.ErrorOnNextCreate("previous_response_not_found", $"Previous response with id '{first.ResponseId}' not found.", param: "previous_response_id");

        var second = await client.GetResponseAsync([new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)])], Options(first.ConversationId))
            .WaitAsync(Timeout);

        fixture.Server.Requests.Should().HaveCount(3);
        fixture.Server.Requests[1].PreviousResponseId.Should().Be(first.ResponseId);
        var rebuilt = fixture.Server.Requests[2];
        rebuilt.PreviousResponseId.Should().BeNull();
        rebuilt.InputItemTypes.Should().Equal("message", "mcp_approval_request", "mcp_approval_response");
        AssertCallRan(second);
    }

    [Fact]
    public async Task Rejected_request_is_answered_with_the_reason_and_the_call_never_runs()
    {
        await using var fixture = await StartAsync();
        var client = fixture.CreateClient();
        var first = await client.GetResponseAsync("Delete item 7", Options()).WaitAsync(Timeout);
        var request = first.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().Single();

        var second = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, [request.CreateResponse(approved: false, reason: "keep it")])], Options(first.ConversationId)).WaitAsync(Timeout);

        var answer = JsonDocument.Parse(fixture.Server.Requests[^1].Json).RootElement.GetProperty("input")[0];
        answer.GetProperty("approve").GetBoolean().Should().BeFalse();
        answer.GetProperty("reason").GetString().Should().Be("keep it");
        second.Text.Should().Be("Left item 7 alone: keep it");
        second.Messages.SelectMany(m => m.Contents).OfType<McpServerToolCallContent>().Should().BeEmpty();
    }

    private static void AssertCallRan(ChatResponse response)
    {
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var call = contents.OfType<McpServerToolCallContent>().Should().ContainSingle().Subject;
        (call.Name, call.ServerName).Should().Be(("delete", "docs"));
        contents.OfType<McpServerToolResultContent>().Single().Outputs!.OfType<TextContent>().Single().Text.Should().Be("deleted 7");
        response.Text.Should().Be("Deleted item 7.");
    }

    private static async Task<ChatResponse> GetAsync(IChatClient client, List<ChatMessage> messages, ChatOptions options, bool streaming)
    {
        var response = streaming
            ? (await ServerFixture.CollectAsync(client.GetStreamingResponseAsync(messages, options)).WaitAsync(Timeout)).ToChatResponse()
            : await client.GetResponseAsync(messages, options).WaitAsync(Timeout);

        // Lifecycle updates are merged into the messages they precede: no empty message, every message identified.
        response.Messages.Should().OnlyContain(m => m.Contents.Count > 0 && !string.IsNullOrEmpty(m.MessageId) && m.Role == ChatRole.Assistant);
        return response;
    }

    private static async Task<ServerFixture> StartAsync(McpApprovalScript? script = null)
    {
        var fixture = await ServerFixture.StartAsync();
        fixture.Server.Model.Responder = (script ?? new McpApprovalScript()).Reply;
        return fixture;
    }

    /// <summary>
    /// A model that asks before it deletes: a new request gets an <c>mcp_approval_request</c>; an <c>mcp_approval_response</c>
    /// that names a request in the context gets the <c>mcp_call</c> and an answer (or, rejected, just the answer); an answer
    /// to a request the context does not hold gets the service's error.
    /// </summary>
    private sealed class McpApprovalScript
    {
        private int _turn;

        /// <summary>Gets the items the script produced, as the bytes it sent.</summary>
        public List<string> Produced { get; } = [];

        public ScriptedReply Reply(ModelTurn turn)
        {
            var n = Interlocked.Increment(ref _turn);
            var stream = new RawStream($"resp_mcp_{n}");
            var answer = turn.NewInput.FirstOrDefault(i => Type(i) == "mcp_approval_response");
            if (answer.ValueKind == JsonValueKind.Undefined)
            {
                var request = $$"""{"id":"mcpr_{{n}}","type":"mcp_approval_request","server_label":"docs","name":"delete","arguments":"{\"id\":7}"}""";
                Produced.Add(request);
                return ScriptedReply.FromRawEvents(stream.Item($"mcpr_{n}", request, request).Completed());
            }

            var requestId = answer.GetProperty("approval_request_id").GetString();
            var asked = turn.Context.FirstOrDefault(i => Type(i) == "mcp_approval_request" && i.GetProperty("id").GetString() == requestId);
            if (asked.ValueKind == JsonValueKind.Undefined)
            {
                return ScriptedReply.FromRawEvents(
                    ["""{"type":"error","status":400,"error":{"type":"invalid_request_error","code":"invalid_request","message":"No approval request found.","param":"input"}}"""]);
            }

            if (!answer.GetProperty("approve").GetBoolean())
            {
                var reason = answer.TryGetProperty("reason", out var r) ? r.GetString() : null;
                return ScriptedReply.FromRawEvents(stream.Message($"msg_{n}", $"Left item 7 alone: {reason}").Completed());
            }

            var arguments = JsonEncodedText.Encode(asked.GetProperty("arguments").GetString()!).ToString();
            var call = $$"""{"id":"mcp_{{n}}","type":"mcp_call","status":"completed","approval_request_id":"{{requestId}}","server_label":"docs","name":"delete","arguments":"{{arguments}}","output":"deleted 7","error":null}""";
            Produced.Add(call);
            return ScriptedReply.FromRawEvents(stream
                .Item($"mcp_{n}", call.Replace("\"completed\"", "\"in_progress\"", StringComparison.Ordinal), call, ("response.mcp_call.in_progress", ""), ("response.mcp_call.completed", ""))
                .Message($"msg_{n}", "Deleted item 7.")
                .Completed());
        }

        private static string? Type(JsonElement item) => item.TryGetProperty("type", out var type) ? type.GetString() : null;
    }
}
