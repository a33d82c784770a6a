using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Compatibility;

/// <summary>
/// The official Microsoft.Extensions.AI.OpenAI client (HTTP SSE) as an oracle: the same scripted reply, served by the same
/// local server, must come out the same through both clients where the official one is right, and better where
/// meai-integration.md §8.5 lists its gaps. This also proves the local server's SSE is what a real client expects.
/// </summary>
public class OfficialClientOracleTests
{
    private static IChatClient Official(LocalResponsesServer server) =>
        new OpenAIClient(new ApiKeyCredential(server.ApiKey ?? "local"), new OpenAIClientOptions { Endpoint = server.BaseUri })
            .GetResponsesClient().AsIChatClient("local-model");

    private static ScriptedReply Reply() => new()
    {
        ReasoningSummary = "Weighing the options",
        Text = "Calling the tools now.",
        FunctionCalls = [new ScriptedFunctionCall("weather", """{"city":"Oslo"}"""), new ScriptedFunctionCall("time", """{"zone":"CET"}""")],
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Same_stream_same_content_through_both_clients(bool streaming)
    {
        await using var fixture = await ServerFixture.StartAsync();
        using var official = Official(fixture.Server);

        // The official client does not ask for encrypted reasoning; the same request makes the same stream.
        var ours = fixture.CreateClient(o => o.EncryptedReasoning = EncryptedReasoningMode.Never);
        fixture.Server.Model.Enqueue(Reply());
        fixture.Server.Model.Enqueue(Reply());

        var theirs = streaming ? (await ServerFixture.CollectAsync(official.GetStreamingResponseAsync("go"))).ToChatResponse() : await official.GetResponseAsync("go");
        var mine = streaming ? (await ServerFixture.CollectAsync(ours.GetStreamingResponseAsync("go"))).ToChatResponse() : await ours.GetResponseAsync("go");

        mine.Text.Should().Be(theirs.Text).And.Be("Calling the tools now.");
        Calls(mine).Should().Equal(Calls(theirs)).And.HaveCount(2);
        ReasoningText(mine).Should().Be(ReasoningText(theirs)).And.Be("Weighing the options");
        mine.Usage!.InputTokenCount.Should().Be(theirs.Usage!.InputTokenCount);
        mine.Usage.OutputTokenCount.Should().Be(theirs.Usage.OutputTokenCount);
        mine.ModelId.Should().Be(theirs.ModelId);

        // Where the official client has known gaps, ours says more.
        mine.FinishReason.Should().Be(ChatFinishReason.ToolCalls);
        mine.ConversationId.Should().Be(mine.ResponseId, "a conversation id also with store=false");
    }

    [Fact]
    public async Task Incomplete_streams_keep_their_finish_reason_where_the_official_client_loses_it()
    {
        await using var fixture = await ServerFixture.StartAsync();
        using var official = Official(fixture.Server);
        var ours = fixture.CreateClient();
        var reply = new ScriptedReply { Text = "Cut sho", IncompleteReason = "max_output_tokens" };
        fixture.Server.Model.Enqueue(reply);
        fixture.Server.Model.Enqueue(reply);

        var theirs = (await ServerFixture.CollectAsync(official.GetStreamingResponseAsync("go"))).ToChatResponse();
        var mine = (await ServerFixture.CollectAsync(ours.GetStreamingResponseAsync("go"))).ToChatResponse();

        mine.Text.Should().Be(theirs.Text).And.Be("Cut sho");
        mine.FinishReason.Should().Be(ChatFinishReason.Length);
    }

    private static List<string> Calls(ChatResponse response) =>
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()
            .Select(c => $"{c.Name}({string.Join(",", c.Arguments!.Select(a => $"{a.Key}={a.Value}"))})").ToList();

    private static string ReasoningText(ChatResponse response) =>
        string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text));
}
