using System.ClientModel;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>
/// Hosted-tool, MCP and custom-tool items streamed by the local server (raw replies, in the service's shapes) through the
/// real socket path: each yields its typed MEAI content, every event yields one update with the response's identity, the
/// same frames through the official client (HTTP SSE) give the same content types, and a full rebuild of the history sends
/// the model's item back byte for byte.
/// </summary>
public class HostedToolSocketTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Web_search_call()
    {
        var item = HostedToolStreams.WebSearchItem;
        var frames = HostedToolStreams.WebSearch();

        var contents = await ReplayAsync(frames, item);

        contents.OfType<WebSearchToolCallContent>().Should().ContainSingle().Which.Queries.Should().Equal("oslo weather");
        var result = contents.OfType<WebSearchToolResultContent>().Should().ContainSingle().Subject;
        result.CallId.Should().Be("ws_1");
        result.Outputs!.OfType<UriContent>().Single().Uri.Should().Be(new Uri("https://example.com/oslo"));
    }

    [Fact]
    public async Task File_search_call()
    {
        var item = HostedToolStreams.FileSearchItem;
        var frames = HostedToolStreams.FileSearch();

        var contents = await ReplayAsync(frames, item);

        contents.Where(c => c.GetType() == typeof(ToolCallContent)).Cast<ToolCallContent>().Should().ContainSingle().Which.CallId.Should().Be("fs_1");
        contents.Where(c => c.GetType() == typeof(ToolResultContent)).Should().ContainSingle();
    }

    [Fact]
    public async Task Code_interpreter_call()
    {
        var item = HostedToolStreams.CodeInterpreterItem;
        var frames = HostedToolStreams.CodeInterpreter();

        var contents = await ReplayAsync(frames, item);

        var call = contents.OfType<CodeInterpreterToolCallContent>().Should().ContainSingle().Subject;
        Encoding.UTF8.GetString(call.Inputs!.OfType<DataContent>().Single().Data.Span).Should().Be("print(6*7)");
        contents.OfType<CodeInterpreterToolResultContent>().Single().Outputs!.OfType<TextContent>().Single().Text.Should().Be("42\n");
    }

    [Fact]
    public async Task Image_generation_call()
    {
        var (preview, image, item) = (HostedToolStreams.ImagePreview, HostedToolStreams.Image, HostedToolStreams.ImageGenerationItem);
        var frames = HostedToolStreams.ImageGeneration();

        var contents = await ReplayAsync(frames, item, streamedContents: updates =>
        {
            var partial = updates.SelectMany(u => u.Contents).OfType<ImageGenerationToolResultContent>().First();
            partial.Outputs!.OfType<DataContent>().Single().Data.ToArray().Should().Equal(preview);
        });

        contents.OfType<ImageGenerationToolCallContent>().Should().ContainSingle().Which.CallId.Should().Be("ig_1");
        var result = contents.OfType<ImageGenerationToolResultContent>().Should().ContainSingle("the final image replaces the preview").Subject;
        var data = result.Outputs!.OfType<DataContent>().Single();
        data.Data.ToArray().Should().Equal(image);
        data.MediaType.Should().Be("image/png");
    }

    [Fact]
    public async Task Mcp_list_tools_and_mcp_call()
    {
        var (list, item) = (HostedToolStreams.McpListToolsItem, HostedToolStreams.McpCallItem);
        var frames = HostedToolStreams.McpListToolsAndCall();

        var contents = await ReplayAsync(frames, item, list);

        contents.Where(c => c.GetType() == typeof(AIContent)).Should().ContainSingle("mcp_list_tools has no MEAI type")
            .Which.RawRepresentation!.ToString().Should().Be(list);
        var call = contents.OfType<McpServerToolCallContent>().Should().ContainSingle().Subject;
        (call.Name, call.ServerName, call.Arguments!["q"]!.ToString()).Should().Be(("search", "docs", "sockets"));
        contents.OfType<McpServerToolResultContent>().Single().Outputs!.OfType<TextContent>().Single().Text.Should().Be("3 pages");
    }

    [Fact]
    public async Task Mcp_approval_request()
    {
        var item = HostedToolStreams.McpApprovalRequestItem;
        var frames = HostedToolStreams.McpApprovalRequest();

        var contents = await ReplayAsync(frames, item);

        var request = contents.OfType<ToolApprovalRequestContent>().Should().ContainSingle().Subject;
        request.RequestId.Should().Be("mcpr_1");
        request.ToolCall.Should().BeOfType<McpServerToolCallContent>().Which.Name.Should().Be("delete");
    }

    [Fact]
    public async Task Custom_tool_call()
    {
        var item = HostedToolStreams.CustomToolCallItem;
        var frames = HostedToolStreams.CustomToolCall();

        // The official client surfaces this item as a bare AIContent; ours says it is a tool call, with its call id.
        var contents = await ReplayAsync(frames, item, officialDiffers: true);

        contents.Where(c => c.GetType() == typeof(ToolCallContent)).Cast<ToolCallContent>().Should().ContainSingle().Which.CallId.Should().Be("call_sql");
    }

    /// <summary>
    /// Streams <paramref name="frames"/> through our client, checks one update per frame with full identity, compares the
    /// merged content types with the official client's for the same frames, and resends the history through a fresh client
    /// (a full create) to check each of <paramref name="items"/> goes back once, byte for byte. Returns our merged contents.
    /// </summary>
    private static async Task<List<AIContent>> ReplayAsync(
        IReadOnlyList<string> frames, string item, string? secondItem = null, Action<List<ChatResponseUpdate>>? streamedContents = null, bool officialDiffers = false)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var ours = fixture.CreateClient();
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));

        var updates = await ServerFixture.CollectAsync(ours.GetStreamingResponseAsync("go")).WaitAsync(Timeout);

        updates.Should().HaveCount(frames.Count, "every event yields exactly one update");
        var responseId = JsonDocument.Parse(frames[0]).RootElement.GetProperty("response").GetProperty("id").GetString();
        updates.Should().OnlyContain(u => u.Role == ChatRole.Assistant && !string.IsNullOrEmpty(u.MessageId) && u.ResponseId == responseId
            && u.ConversationId == responseId && u.ModelId == "local-model" && u.CreatedAt != null);
        updates.Where(u => u.Contents.Count == 0).Should().OnlyContain(u => u.RawRepresentation is JsonElement);
        streamedContents?.Invoke(updates);
        var response = updates.ToChatResponse();
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();

        // The same frames through the official client: the same MEAI content types, in the same order.
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));
        using var official = new OpenAIClient(new ApiKeyCredential(fixture.Server.ApiKey!), new OpenAIClientOptions { Endpoint = fixture.Server.BaseUri })
            .GetResponsesClient().AsIChatClient("local-model");
        var theirs = (await ServerFixture.CollectAsync(official.GetStreamingResponseAsync("go")).WaitAsync(Timeout)).ToChatResponse();
        var theirTypes = theirs.Messages.SelectMany(m => m.Contents).Select(c => c.GetType().Name).ToList();
        var ourTypes = contents.Select(c => c.GetType().Name).ToList();
        if (officialDiffers) ourTypes.Should().NotEqual(theirTypes);
        else ourTypes.Should().Equal(theirTypes);

        // A full rebuild (a client with no transcript) sends the model's items back unchanged, each once.
        var rebuilt = fixture.CreateClient();
        fixture.Server.Model.Enqueue(ScriptedReply.WithText("noted"));
        List<ChatMessage> history = [new(ChatRole.User, "go"), .. response.Messages, new(ChatRole.User, "next")];
        await rebuilt.GetResponseAsync(history).WaitAsync(Timeout);
        var request = fixture.Server.Requests[^1];
        request.Transport.Should().Be("websocket");
        request.PreviousResponseId.Should().BeNull();
        foreach (var expected in secondItem is null ? [item] : new[] { item, secondItem })
        {
            CountOf(request.Json, expected).Should().Be(1, "the model's item goes back once, byte for byte");
        }

        contents.Where(c => c.RawRepresentation is InputItem).Should().NotBeEmpty();
        return contents;
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
