using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Recordings;

/// <summary>
/// Real recorded Responses streams from the shared reference folder (read in place, never copied into the repository),
/// replayed event by event through the parser and the update mapper. Each line of a <c>*.chunks.txt</c> file is one
/// SSE data payload, which is exactly one WebSocket text message in WebSocket mode. Without the folder (a fresh clone)
/// these tests are reported as skipped with the reason.
/// </summary>
public class RecordedStreamTests
{
    public static TheoryData<string> ChunkFiles()
    {
        var data = new TheoryData<string>();
        if (!SharedRecordings.Available)
        {
            // The theory is skipped then; one placeholder row keeps discovery from throwing.
            data.Add("(recordings not available)");
            return data;
        }

        foreach (var file in Directory.GetFiles(SharedRecordings.PathOf("vercel-ai"), "*.chunks.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [RecordingFact]
    public void The_recordings_are_there_to_replay() =>
        ChunkFiles().Should().HaveCountGreaterThanOrEqualTo(5, $"the recordings are read from {SharedRecordings.ExpectedFolder}");

    [RecordingTheory]
    [MemberData(nameof(ChunkFiles))]
    public void Every_recorded_event_parses_and_maps_faithfully(string fileName)
    {
        var lines = SharedRecordings.ChunkLines(Path.Combine("vercel-ai", fileName)).ToList();
        ResponseUpdateMapper? mapper = null;
        var updates = new List<ChatResponseUpdate>();
        var expectedText = new StringBuilder();
        var expectedCalls = 0;
        var responses = 0;

        foreach (var line in lines)
        {
            var evt = ServerEventParser.Parse(Encoding.UTF8.GetBytes(line));
            using var json = JsonDocument.Parse(line);
            var type = json.RootElement.GetProperty("type").GetString();
            if (evt.Type == ServerEventType.Unknown)
            {
                type.Should().NotStartWith("response.output", "every output event type is recognised");
                continue;
            }

            if (evt.Type == ServerEventType.ResponseCreated)
            {
                mapper = new ResponseUpdateMapper(conversationIdIsResponseId: true);
                responses++;
            }

            mapper ??= new ResponseUpdateMapper(conversationIdIsResponseId: true);
            // Some recordings are trimmed (their deltas do not add up to the done text), so the deltas are the reference.
            if (evt.Type == ServerEventType.OutputTextDelta) expectedText.Append(json.RootElement.GetProperty("delta").GetString());
            if (evt.Type == ServerEventType.OutputItemDone && evt.Item?.Type == "function_call") expectedCalls++;
            if (evt.Type == ServerEventType.Error)
            {
                evt.Error!.Message.Should().NotBe(ResponsesError.GenericMessage);
                evt.Error.Code.Should().NotBeNullOrEmpty();
                continue;
            }

            if (evt.Type == ServerEventType.ResponseFailed)
            {
                ErrorMapper.FromFailedResponse(evt.Response, outputSurfaced: false).Code.Should().NotBeNullOrEmpty();
                continue;
            }

            if (mapper.Map(evt) is { } update) updates.Add(update);
            if (evt.IsTerminal) evt.Response.Should().NotBeNull();
        }

        responses.Should().BePositive();
        string.Concat(updates.SelectMany(u => u.Contents).OfType<TextContent>().Select(t => t.Text)).Should().Be(expectedText.ToString());
        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        calls.Should().HaveCount(expectedCalls);
        calls.Where(c => c.Exception != null).Should().BeEmpty("every recorded argument string is valid JSON");
        updates.Where(u => u.Role != ChatRole.Assistant || string.IsNullOrEmpty(u.MessageId) || u.ResponseId == null || u.ConversationId != u.ResponseId)
            .Should().BeEmpty("every update carries its role and ids");
    }

    [RecordingFact]
    public void Encrypted_reasoning_and_usage_of_a_real_agent_loop_come_through()
    {
        var updates = Replay("openai-reasoning-encrypted-content.1.chunks.txt");

        var reasoning = updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().ToList();
        reasoning.Should().Contain(r => r.ProtectedData != null && r.ProtectedData.StartsWith("gAAAA"));
        reasoning.Where(r => r.Text.Length > 0).Should().OnlyContain(r => r.AdditionalProperties![ChatMessageMapper.ReasoningItemIdKey] is string);
        var finals = updates.Where(u => u.FinishReason != null).ToList();
        finals.Select(u => u.FinishReason).Should().Equal(ChatFinishReason.ToolCalls, ChatFinishReason.ToolCalls, ChatFinishReason.ToolCalls, ChatFinishReason.Stop);
        finals.Should().OnlyContain(u => u.Contents.OfType<UsageContent>().Single().Details.InputTokenCount > 0);
    }

    [RecordingFact]
    public void Rotating_ids_through_a_proxy_keep_one_message_id_per_output_item()
    {
        var updates = Replay("github-copilot-id-rotation.1.chunks.txt");

        updates.Where(u => u.Contents.OfType<TextContent>().Any()).Select(u => u.MessageId).Distinct().Should().HaveCount(1);
    }

    private static List<ChatResponseUpdate> Replay(string fileName)
    {
        ResponseUpdateMapper? mapper = null;
        var updates = new List<ChatResponseUpdate>();
        foreach (var line in SharedRecordings.ChunkLines(Path.Combine("vercel-ai", fileName)))
        {
            var evt = ServerEventParser.Parse(Encoding.UTF8.GetBytes(line));
            if (evt.Type == ServerEventType.ResponseCreated || mapper is null) mapper = new ResponseUpdateMapper(conversationIdIsResponseId: true);
            if (mapper.Map(evt) is { } update) updates.Add(update);
        }

        return updates;
    }
}
