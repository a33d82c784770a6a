using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Recordings;

/// <summary>
/// Real recorded streams played through the whole client: the local server sends the recorded lines verbatim
/// (<see cref="ScriptedReply.FromRawEvents"/>) over a real loopback WebSocket, and the expectations are read straight
/// from the same recording's JSON, so a mapper that altered a name, call id, argument or token count would fail here.
/// </summary>
public sealed class RecordedSocketReplayTests
{
    private const string AgentLoop = "vercel-ai/openai-reasoning-encrypted-content.1.chunks.txt";

    private static readonly HashSet<string> Terminals = ["response.completed", "response.incomplete", "response.failed"];

    [RecordingFact]
    public async Task A_recorded_agent_loop_plays_through_the_socket_with_exact_calls_arguments_and_usage()
    {
        var responses = Split(SharedRecordings.ChunkLines(AgentLoop));
        responses.Should().HaveCount(4, "the recording is a four-turn agent loop");
        var recorded = responses.Select(Recorded.Of).ToList();

        await using var fixture = await ServerFixture.StartAsync();
        foreach (var frames in responses)
        {
            fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));
        }

        var calculator = AIFunctionFactory.Create((double a, double b, string op) => op == "add" ? a + b : a * b, "calculator");
        using var client = new ChatClientBuilder(fixture.CreateClient(o => o.Model = recorded[0].Model)).UseFunctionInvocation().Build();

        var updates = await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("What is (12 + 7) * 3 * 10?", new ChatOptions { Tools = [calculator] })).Bounded();

        var contents = updates.SelectMany(u => u.Contents).ToList();
        var expectedCalls = recorded.SelectMany(r => r.Calls).ToList();
        expectedCalls.Should().HaveCount(3);
        ShouldMatch(contents.OfType<FunctionCallContent>().ToList(), expectedCalls);
        contents.OfType<FunctionResultContent>().Select(r => r.CallId).Should().Equal(expectedCalls.Select(c => c.CallId));
        contents.OfType<UsageContent>().Select(u => Counts.Of(u.Details)).Should().Equal(recorded.SelectMany(r => r.Usage));
        string.Concat(contents.OfType<TextContent>().Select(t => t.Text)).Should().Be(recorded[^1].Text).And.NotBeEmpty();

        // Each later turn continued the recorded response on the socket with the recorded call's output.
        var requests = fixture.Server.Requests;
        requests.Should().HaveCount(4);
        requests.Skip(1).Select(r => r.PreviousResponseId).Should().Equal(recorded.Take(3).Select(r => r.ResponseId));
        requests.Skip(1).Select(OutputCallIds).Should().Equal(recorded.Take(3).Select(r => r.Calls.Select(c => c.CallId).ToList()),
            (actual, expected) => actual.SequenceEqual(expected));
    }

    public static TheoryData<string> SingleResponseRecordings()
    {
        var data = new TheoryData<string>();
        if (!SharedRecordings.Available)
        {
            data.Add("(recordings not available)");
            return data;
        }

        foreach (var file in Directory.GetFiles(SharedRecordings.PathOf("vercel-ai"), "*.chunks.txt").Order(StringComparer.Ordinal))
        {
            var responses = Split(SharedRecordings.ChunkLines(Path.Combine("vercel-ai", Path.GetFileName(file))));
            if (responses.Count == 1 && Recorded.Of(responses[0]).Completed)
            {
                data.Add(Path.GetFileName(file));
            }
        }

        return data;
    }

    [RecordingTheory]
    [MemberData(nameof(SingleResponseRecordings))]
    public async Task A_recorded_response_plays_through_the_socket_with_its_exact_usage_text_and_calls(string fileName)
    {
        var frames = SharedRecordings.ChunkLines(Path.Combine("vercel-ai", fileName));
        var recorded = Recorded.Of(frames);
        await using var fixture = await ServerFixture.StartAsync();
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));
        var client = fixture.CreateClient(o => o.Model = recorded.Model);

        var updates = await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("replay")).Bounded();

        var contents = updates.SelectMany(u => u.Contents).ToList();
        contents.OfType<UsageContent>().Select(u => Counts.Of(u.Details)).Should().Equal(recorded.Usage);
        ShouldMatch(contents.OfType<FunctionCallContent>().ToList(), recorded.Calls);
        string.Concat(contents.OfType<TextContent>().Select(t => t.Text)).Should().Be(recorded.Text);
        updates.Where(u => u.ResponseId is not null).Select(u => u.ResponseId).Distinct().Should().NotBeEmpty();
    }

    private static void ShouldMatch(List<FunctionCallContent> calls, IReadOnlyList<RecordedCall> expected)
    {
        calls.Select(c => (c.Name, c.CallId)).Should().Equal(expected.Select(e => (e.Name, e.CallId)));
        for (var i = 0; i < calls.Count; i++)
        {
            calls[i].Exception.Should().BeNull();
            var actual = JsonSerializer.SerializeToElement(calls[i].Arguments, AIJsonUtilities.DefaultOptions);
            JsonElement.DeepEquals(actual, JsonElement.Parse(expected[i].Arguments)).Should()
                .BeTrue($"call {expected[i].CallId} carries {expected[i].Arguments}, the client produced {actual.GetRawText()}");
        }
    }

    private static List<string> OutputCallIds(ReceivedRequest request) =>
        [.. JsonElement.Parse(request.Json).GetProperty("input").EnumerateArray()
            .Where(item => item.GetProperty("type").GetString() == "function_call_output")
            .Select(item => item.GetProperty("call_id").GetString()!)];

    /// <summary>Cuts a multi-response recording into one frame list per response (created … terminal).</summary>
    private static List<List<string>> Split(IReadOnlyList<string> lines)
    {
        var responses = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in lines)
        {
            var type = JsonElement.Parse(line).GetProperty("type").GetString()!;
            if (type == "response.created" || current is null)
            {
                current = [];
                responses.Add(current);
            }

            current.Add(line);
        }

        return responses;
    }

    private sealed record RecordedCall(string Name, string CallId, string Arguments);

    private readonly record struct Counts(long? Input, long? Output, long? Total, long? Cached, long? Reasoning)
    {
        public static Counts Of(UsageDetails usage) =>
            new(usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount, usage.CachedInputTokenCount, usage.ReasoningTokenCount);

        public static Counts Of(JsonElement usage) => new(
            usage.GetProperty("input_tokens").GetInt64(),
            usage.GetProperty("output_tokens").GetInt64(),
            usage.GetProperty("total_tokens").GetInt64(),
            usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt64(),
            usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt64());
    }

    /// <summary>What one recorded response says, read from its raw JSON lines without any of the library's code.</summary>
    private sealed record Recorded(string ResponseId, string Model, bool Completed, IReadOnlyList<RecordedCall> Calls, IReadOnlyList<Counts> Usage, string Text)
    {
        public static Recorded Of(IReadOnlyList<string> frames)
        {
            var events = frames.Select(line => JsonElement.Parse(line)).ToList();
            var created = events.First(e => e.GetProperty("type").GetString() == "response.created").GetProperty("response");
            var terminal = events.Last(e => Terminals.Contains(e.GetProperty("type").GetString()!));
            var calls = events
                .Where(e => e.GetProperty("type").GetString() == "response.output_item.done" && e.GetProperty("item").GetProperty("type").GetString() == "function_call")
                .Select(e => e.GetProperty("item"))
                .Select(item => new RecordedCall(item.GetProperty("name").GetString()!, item.GetProperty("call_id").GetString()!, item.GetProperty("arguments").GetString()!))
                .ToList();
            var usage = terminal.GetProperty("response").TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object ? new[] { Counts.Of(u) } : [];

            // Some recordings are trimmed (their deltas do not add up to the done text), so the deltas are the reference.
            var text = string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.output_text.delta").Select(e => e.GetProperty("delta").GetString()));
            return new Recorded(
                created.GetProperty("id").GetString()!,
                created.GetProperty("model").GetString()!,
                terminal.GetProperty("type").GetString() == "response.completed",
                calls,
                usage,
                text);
        }
    }
}
