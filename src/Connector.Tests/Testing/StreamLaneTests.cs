using System.Text.Json;
using ResponsesWebSocket.Testing;
using static ResponsesWebSocket.Tests.Testing.RawSocket;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>
/// The lanes revision of WebSocket mode (protocol.md §5.3) on the local server, driven by a raw socket: the library
/// client does not speak lanes.
/// </summary>
public sealed class StreamLaneTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_event_of_a_lane_echoes_its_stream_id_and_default_lane_events_carry_none()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        await socket.SendAsync(Create("""{"stream_id":"agent_1","store":false,"input":"hello"}"""));
        var laned = await socket.ReadUntilTerminalsAsync("agent_1");

        laned.Should().HaveCountGreaterThan(3).And.OnlyContain(e => StreamId(e) == "agent_1");
        Type(laned[^1]).Should().Be("response.completed");

        await socket.SendAsync(Create("""{"store":false,"input":"hello"}"""));
        var plain = await socket.ReadUntilTerminalsAsync([null]);
        plain.Select(StreamId).Should().OnlyContain(id => id == null);
        plain.Select(Type).Should().Equal(laned.Select(Type));
    }

    [Fact]
    public async Task Lanes_run_concurrently_while_each_lane_stays_fifo()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var release = new TaskCompletionSource();
        server.Faults.PauseAfterEvents(2, release.Task);
        using var socket = await ConnectAsync(server);

        await socket.SendAsync(Create("""{"stream_id":"slow","store":false,"input":"first"}"""));
        (await socket.ReceiveAsync()).Should().Match<JsonElement>(e => Type(e) == "response.created");
        (await socket.ReceiveAsync()).Should().Match<JsonElement>(e => Type(e) == "response.in_progress");

        // The slow lane is paused mid-response: its next create waits, FIFO, but another lane answers at once.
        await socket.SendAsync(Create("""{"stream_id":"slow","store":false,"input":"second"}"""));
        await socket.SendAsync(Create("""{"stream_id":"fast","store":false,"input":"quick"}"""));
        var fast = await socket.ReadUntilTerminalsAsync("fast");
        fast.Should().OnlyContain(e => StreamId(e) == "fast");
        Type(fast[^1]).Should().Be("response.completed");

        release.SetResult();
        var slow = await socket.ReadUntilTerminalsAsync("slow", "slow");
        slow.Should().OnlyContain(e => StreamId(e) == "slow");
        var terminals = slow.Where(IsTerminal).ToList();
        terminals.Should().HaveCount(2);
        var firstId = ResponseId(terminals[0]);
        var firstTerminalAt = slow.IndexOf(terminals[0]);
        slow.Take(firstTerminalAt + 1).Where(e => e.TryGetProperty("response", out var _)).Select(ResponseId).Should().OnlyContain(id => id == firstId);
        Type(slow[firstTerminalAt + 1]).Should().Be("response.created", "the lane's second response starts only after its first ended");
    }

    [Fact]
    public async Task Each_lane_keeps_its_own_most_recent_response_for_store_false_continuation()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        var a1 = await CompleteAsync(socket, "a", """{"store":false,"input":"on a"}""");
        await CompleteAsync(socket, "b", """{"store":false,"input":"on b"}""");

        // On a GA connection b's response would have displaced a1; with lanes, a still holds a1 in memory.
        var a2 = await CompleteAsync(socket, "a", $$"""{"store":false,"previous_response_id":"{{ResponseId(a1)}}","input":"again"}""");
        a2.GetProperty("response").GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32().Should().BePositive();

        // Still one state per lane: a1 was replaced by a2 on lane a.
        await socket.SendAsync(Create($$"""{"stream_id":"a","store":false,"previous_response_id":"{{ResponseId(a1)}}","input":"stale"}"""));
        var error = (await socket.ReadUntilTerminalsAsync("a"))[^1];
        ErrorCode(error).Should().Be("previous_response_not_found");
        StreamId(error).Should().Be("a");
        error.GetProperty("status").GetInt32().Should().Be(400);
    }

    [Fact]
    public async Task A_lane_can_fork_from_another_lane_and_a_failed_fork_keeps_the_shared_parent()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        var parent = ResponseId(await CompleteAsync(socket, "main", """{"store":false,"input":"parent"}"""));

        var fork = await CompleteAsync(socket, "fork", $$"""{"store":false,"previous_response_id":"{{parent}}","input":"fork it"}""");
        fork.GetProperty("response").GetProperty("previous_response_id").GetString().Should().Be(parent);

        await socket.SendAsync(Create($$"""
            {"stream_id":"broken","store":false,"previous_response_id":"{{parent}}",
             "input":[{"type":"function_call_output","call_id":"call_nowhere","output":"x"}]}
            """));
        var error = (await socket.ReadUntilTerminalsAsync("broken"))[^1];
        Type(error).Should().Be("error");
        StreamId(error).Should().Be("broken");

        var continued = await CompleteAsync(socket, "main", $$"""{"store":false,"previous_response_id":"{{parent}}","input":"still here"}""");
        continued.GetProperty("response").GetProperty("status").GetString().Should().Be("completed");
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"has space\"")]
    [InlineData("\"slash/no\"")]
    [InlineData("42")]
    [InlineData("LONG")]
    public async Task An_invalid_stream_id_gets_the_service_error_and_the_connection_stays_usable(string streamIdJson)
    {
        if (streamIdJson == "LONG")
        {
            streamIdJson = "\"" + new string('x', 257) + "\"";
        }

        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        await socket.SendAsync(Create($$"""{"stream_id":{{streamIdJson}},"store":false,"input":"hi"}"""));
        var error = await socket.ReceiveAsync();

        Type(error).Should().Be("error");
        error.GetProperty("status").GetInt32().Should().Be(400);
        error.TryGetProperty("stream_id", out _).Should().BeFalse("an invalid id is not a lane to echo");
        var details = error.GetProperty("error");
        details.GetProperty("type").GetString().Should().Be("invalid_request_error");
        details.GetProperty("code").GetString().Should().Be("invalid_stream_id");
        details.GetProperty("param").GetString().Should().Be("stream_id");
        details.GetProperty("message").GetString().Should().Be(
            "The 'stream_id' field must be a non-empty string with at most 256 characters and may only contain letters, numbers, underscores, hyphens, and periods.");

        var ok = await CompleteAsync(socket, new string('y', 256), """{"store":false,"input":"fine"}""");
        Type(ok).Should().Be("response.completed");
    }

    [Fact]
    public async Task A_33rd_distinct_lane_is_refused_while_known_lanes_keep_working()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        for (var lane = 1; lane <= 32; lane++)
        {
            await CompleteAsync(socket, "lane." + lane, """{"store":false,"generate":false,"input":"warm"}""");
        }

        await socket.SendAsync(Create("""{"stream_id":"lane.33","store":false,"input":"one too many"}"""));
        var error = await socket.ReceiveAsync();

        ErrorCode(error).Should().Be("websocket_stream_limit_reached");
        StreamId(error).Should().Be("lane.33");
        error.GetProperty("error").GetProperty("param").GetString().Should().Be("stream_id");
        Type(await CompleteAsync(socket, "lane.7", """{"store":false,"input":"reuse"}""")).Should().Be("response.completed");
        Type(await CompleteAsync(socket, null, """{"store":false,"input":"default lane is not counted"}""")).Should().Be("response.completed");
    }

    [Fact]
    public async Task At_most_sixteen_responses_are_in_flight_per_connection()
    {
        // The test runner keeps thread-pool threads blocked; on a 2-core machine a lane that wrongly started at once
        // could wait about a second for a thread and slip past the probes below. More threads let it show up at once.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), completionPorts);
        try
        {
            await SixteenInFlightThenOneWaitsAsync();
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, completionPorts);
        }
    }

    private static async Task SixteenInFlightThenOneWaitsAsync()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var releases = Enumerable.Range(0, 16).Select(_ => new TaskCompletionSource()).ToArray();
        foreach (var release in releases)
        {
            server.Faults.PauseAfterEvents(1, release.Task);
        }

        using var socket = await ConnectAsync(server);
        for (var lane = 0; lane < 16; lane++)
        {
            await socket.SendAsync(Create($$"""{"stream_id":"busy{{lane}}","store":false,"input":"hold"}"""));
        }

        // All sixteen are paused after response.created; only then does the seventeenth arrive.
        var started = new List<JsonElement>();
        while (started.Count < 16)
        {
            started.Add(await socket.ReceiveAsync());
        }

        started.Should().OnlyContain(e => Type(e) == "response.created");
        await socket.SendAsync(Create("""{"stream_id":"waiting","store":false,"input":"my turn?"}"""));

        // Round trips through the receive loop (an invalid id is answered there, needing no slot) give a lane that
        // wrongly started at once every chance to show up; nothing of the waiting lane may arrive meanwhile.
        for (var probe = 0; probe < 50; probe++)
        {
            await socket.SendAsync(Create("""{"stream_id":"","input":"probe"}"""));
            ErrorCode(await socket.ReceiveAsync()).Should().Be("invalid_stream_id");
        }

        // Freeing one slot lets the waiting lane run: its first event follows the terminal of the lane that was freed.
        releases[0].SetResult();
        var events = await socket.ReadUntilTerminalsAsync("waiting");
        var freedTerminal = events.FindIndex(e => IsTerminal(e) && StreamId(e)!.StartsWith("busy", StringComparison.Ordinal));
        var waitingStart = events.FindIndex(e => StreamId(e) == "waiting");
        freedTerminal.Should().BeGreaterThanOrEqualTo(0);
        waitingStart.Should().BeGreaterThan(freedTerminal);
        events.Count(e => IsTerminal(e) && StreamId(e) != "waiting").Should().Be(1, "the other fifteen are still paused");

        foreach (var release in releases.Skip(1))
        {
            release.SetResult();
        }
    }

    [Fact]
    public async Task The_scripted_model_and_the_request_log_see_the_lane()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Model.Responder = turn => ScriptedReply.WithText($"lane {turn.StreamId ?? "default"}");
        using var socket = await ConnectAsync(server);

        var laned = await CompleteAsync(socket, "x", """{"store":false,"input":"?"}""");
        var plain = await CompleteAsync(socket, null, """{"store":false,"input":"?"}""");

        Text(laned).Should().Be("lane x");
        Text(plain).Should().Be("lane default");
        server.Requests.Select(request => request.StreamId).Should().Equal("x", null);

        static string Text(JsonElement terminal) =>
            terminal.GetProperty("response").GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    [Fact]
    public async Task Http_refuses_stream_id_because_lanes_exist_only_on_a_socket()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var http = new HttpClient();
        using var content = new StringContent("""{"stream_id":"agent_1","input":"hi"}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await http.PostAsync(server.BaseUri + "/responses", content).WaitAsync(Timeout);

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        var error = JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("unknown_parameter");
        error.GetProperty("param").GetString().Should().Be("stream_id");
    }

    private static async Task<JsonElement> CompleteAsync(RawSocket socket, string? streamId, string fields)
    {
        var json = streamId is null ? fields : """{"stream_id":"__LANE__",""".Replace("__LANE__", streamId) + fields.TrimStart()[1..];
        await socket.SendAsync(Create(json));
        return (await socket.ReadUntilTerminalsAsync(streamId))[^1];
    }
}
