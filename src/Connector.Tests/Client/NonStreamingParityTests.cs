using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Fuzzing;
using ResponsesWebSocket.Tests.Support;
using ResponsesWebSocket.Tests.Testing;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>
/// The non-streaming path leaves out the per-delta updates; these tests hold it to producing exactly what merging the full
/// stream produces. Every stream shape is replayed byte for byte (so both calls see the same ids) to two fresh clients, one
/// streaming (then <c>ToChatResponse()</c>) and one calling <c>GetResponseAsync</c>; the two responses are compared in
/// full (serialized form, message boundaries, every content's type and raw representation), failures by their exception,
/// and the next turn each client sends must be the same bytes (the transcript chain continues identically).
/// </summary>
public sealed class NonStreamingParityTests
{
    [Fact]
    public async Task Every_shape_the_local_server_produces_gives_the_same_response_as_the_merged_stream()
    {
        var seeds = await FuzzSeeds.CaptureBuiltInAsync().Bounded();
        seeds.Add(await CaptureEncryptedReasoningAsync().Bounded());
        seeds.Should().HaveCountGreaterThanOrEqualTo(9);

        await AssertParityAsync(seeds);
    }

    [Fact]
    public async Task Hosted_tool_streams_give_the_same_response_as_the_merged_stream()
    {
        await AssertParityAsync(HostedToolStreams());
    }

    [Fact]
    public async Task Split_runs_of_deltas_around_annotations_refusals_and_summary_parts_give_the_same_response()
    {
        // Text interrupted by an annotation and a refusal, a second text part, reasoning with two summary parts and
        // encrypted content, and a second reasoning item: every place a run of deltas must end or may continue.
        var frames = new RawStream("resp_runs")
            .Item("rs_1", """{"id":"rs_1","type":"reasoning","summary":[]}""", """{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"One."},{"type":"summary_text","text":"Two."}],"encrypted_content":"enc1"}""",
                ("response.reasoning_summary_part.added", "\"summary_index\":0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}"),
                ("response.reasoning_summary_text.delta", "\"summary_index\":0,\"delta\":\"On\""),
                ("response.reasoning_summary_text.delta", "\"summary_index\":0,\"delta\":\"e.\""),
                ("response.reasoning_summary_part.added", "\"summary_index\":1,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}"),
                ("response.reasoning_summary_text.delta", "\"summary_index\":1,\"delta\":\"Two.\""))
            .Item("rs_2", """{"id":"rs_2","type":"reasoning","summary":[]}""", """{"id":"rs_2","type":"reasoning","summary":[{"type":"summary_text","text":"Three."}]}""",
                ("response.reasoning_summary_text.delta", "\"summary_index\":0,\"delta\":\"Three.\""))
            .Item("msg_1", """{"id":"msg_1","type":"message","role":"assistant","status":"in_progress","content":[]}""",
                """{"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"See docs. More","annotations":[{"type":"url_citation","url":"https://example.com","title":"Docs","start_index":4,"end_index":8}]},{"type":"refusal","refusal":"No."},{"type":"output_text","text":" after","annotations":[]}]}""",
                ("response.output_text.delta", "\"content_index\":0,\"delta\":\"See \""),
                ("response.output_text.delta", "\"content_index\":0,\"delta\":\"docs.\""),
                ("response.output_text.annotation_added", "\"content_index\":0,\"annotation_index\":0,\"annotation\":{\"type\":\"url_citation\",\"url\":\"https://example.com\",\"title\":\"Docs\",\"start_index\":4,\"end_index\":8}"),
                ("response.output_text.delta", "\"content_index\":0,\"delta\":\"\""),
                ("response.output_text.delta", "\"content_index\":0,\"delta\":\" More\""),
                ("response.refusal.done", "\"content_index\":1,\"refusal\":\"No.\""),
                ("response.output_text.delta", "\"content_index\":2,\"delta\":\" after\""))
            .Item("fc_1", """{"id":"fc_1","type":"function_call","call_id":"call_1","name":"get_data","arguments":""}""", """{"id":"fc_1","type":"function_call","call_id":"call_1","name":"get_data","arguments":"{\"q\":1}"}""",
                ("response.function_call_arguments.delta", "\"delta\":\"{\\\"q\\\"\""),
                ("response.function_call_arguments.delta", "\"delta\":\":1}\""))
            .Completed();

        await AssertParityAsync([new FuzzSeed("runs", [.. frames.Select(Encoding.UTF8.GetBytes)])]);
    }

    [RecordingFact]
    public async Task Every_recorded_response_gives_the_same_response_as_the_merged_stream()
    {
        var seeds = FuzzSeeds.LoadRecorded();
        seeds.Should().NotBeEmpty();

        await AssertParityAsync(seeds);
    }

    private static async Task AssertParityAsync(IReadOnlyList<FuzzSeed> seeds)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var mismatches = new List<string>();
        foreach (var seed in seeds)
        {
            // Captured local streams carry the ids a fresh server hands out (resp_0001…), which this fixture's server would
            // hand out again for the follow-up turn; renamed so every response id stays unique.
            var frames = seed.Frames.Select(f => Encoding.UTF8.GetString(f).Replace("\"resp_0", "\"resp_captured_0", StringComparison.Ordinal)).ToList();
            var (streamed, streamedNext) = await Within(RunAsync(fixture, frames, streaming: true), seed.Name);
            var (merged, mergedNext) = await Within(RunAsync(fixture, frames, streaming: false), seed.Name);
            if (streamed != merged) mismatches.Add($"{seed.Name}:\n  streamed: {streamed}\n  response: {merged}");
            if (streamedNext != mergedNext) mismatches.Add($"{seed.Name} (next turn):\n  streamed: {streamedNext}\n  response: {mergedNext}");
        }

        mismatches.Should().BeEmpty();
    }

    private static async Task<T> Within<T>(Task<T> task, string seed)
    {
        try
        {
            return await task.Bounded();
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Seed {seed} timed out.", ex);
        }
    }

    /// <summary>One call on a fresh client, then (after a response) a follow-up turn by ConversationId; both described.</summary>
    private static async Task<(string Outcome, string NextRequest)> RunAsync(ServerFixture fixture, List<string> frames, bool streaming)
    {
                var client = fixture.CreateClient(o => o.Model = ModelOf(frames) ?? "local-model");
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));
        ChatResponse response;
        try
        {
            response = streaming
                ? (await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("go"))).ToChatResponse()
                : await client.GetResponseAsync("go");
        }
        catch (ResponsesException ex)
        {
            return ($"{ex.GetType().Name} {ex.Kind} {ex.Code} {ex.StatusCode} {ex.OutputSurfaced} {ex.ResponseId} {ex.Message}", string.Empty);
        }

        fixture.Server.Model.Enqueue(ScriptedReply.WithText("ok"));
        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "next")], new ChatOptions { ConversationId = response.ConversationId });
        return (Describe(response), fixture.Server.Requests[^1].Json);
    }

    private static string? ModelOf(List<string> frames)
    {
        using var first = JsonDocument.Parse(frames[0]);
        return first.RootElement.TryGetProperty("response", out var r) && r.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
    }

    /// <summary>The response in full: its serialized form plus what serialization leaves out (raw representations).</summary>
    private static string Describe(ChatResponse response)
    {
        var text = new StringBuilder(JsonSerializer.Serialize(response, AIJsonUtilities.DefaultOptions));
        text.Append(" raw=").Append(Raw(response.RawRepresentation)).Append(" messages=").Append(response.Messages.Count);
        foreach (var message in response.Messages)
        {
            text.Append(" | ").Append(message.MessageId).Append(' ').Append(message.CreatedAt?.ToUnixTimeSeconds()).Append(' ').Append(Raw(message.RawRepresentation));
            foreach (var content in message.Contents) Append(text, content);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, AIContent content)
    {
        text.Append(" [").Append(content.GetType().Name).Append(' ').Append(Raw(content.RawRepresentation));
        var nested = content switch
        {
            CodeInterpreterToolCallContent c => c.Inputs,
            CodeInterpreterToolResultContent r => r.Outputs,
            ImageGenerationToolResultContent i => i.Outputs,
            McpServerToolResultContent m => m.Outputs,
            _ => null,
        };
        foreach (var inner in nested ?? []) Append(text, inner);
        text.Append(']');
    }

    private static string Raw(object? raw) => raw switch
    {
        null => "null",
        InputItem item => "item:" + item,
        JsonElement element => "json:" + element.GetRawText(),
        _ => raw.GetType().Name + ":" + raw,
    };

    /// <summary>A reasoning model's reply with a streamed summary and encrypted content, captured off a raw socket.</summary>
    private static async Task<FuzzSeed> CaptureEncryptedReasoningAsync()
    {
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { IsReasoningModel = _ => true });
        server.Model.Enqueue(new ScriptedReply { ReasoningSummary = "Thinking it over, step by step.", Text = "Forty-two.", FunctionCalls = [new ScriptedFunctionCall("get_data", """{"id":7}""")] });
        using var socket = await WireClient.ConnectAsync(server);
        await WireClient.SendAsync(socket, WireClient.Create("""{"model":"local-model","store":false,"include":["reasoning.encrypted_content"],"input":"go"}"""));
        var frames = new List<byte[]>();
        while (true)
        {
            var (type, bytes) = await WireClient.ReceiveMessageAsync(socket);
            type.Should().Be(WebSocketMessageType.Text);
            frames.Add(bytes);
            if (Encoding.UTF8.GetString(bytes).Contains("\"response.completed\"", StringComparison.Ordinal)) break;
        }

        Encoding.UTF8.GetString(frames.SelectMany(f => f).ToArray()).Should().Contain("encrypted_content\":\"", "the capture must carry encrypted reasoning");
        return new FuzzSeed("local:reasoning-encrypted", frames);
    }

    private static List<FuzzSeed> HostedToolStreams()
    {
        var streams = new (string Name, IReadOnlyList<string> Frames)[]
        {
            ("web-search", Support.HostedToolStreams.WebSearch()),
            ("file-search", Support.HostedToolStreams.FileSearch()),
            ("code-interpreter", Support.HostedToolStreams.CodeInterpreter()),
            ("image-generation", Support.HostedToolStreams.ImageGeneration()),
            ("mcp", Support.HostedToolStreams.McpListToolsAndCall()),
            ("mcp-approval", Support.HostedToolStreams.McpApprovalRequest()),
        };
        return [.. streams.Select(s => new FuzzSeed("hosted:" + s.Name, [.. s.Frames.Select(Encoding.UTF8.GetBytes)]))];
    }
}
