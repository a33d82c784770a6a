using System.Text;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;
using static ResponsesWebSocket.Tests.Security.RawStreams;

namespace ResponsesWebSocket.Tests.Security;

/// <summary>
/// A server that sends odd, malformed, oversized or foreign events, through the real socket path (raw replies of the
/// local server): every one is a typed <see cref="ResponsesException"/>, the connection never faults, disposal never
/// throws, and the next call works.
/// </summary>
public class HostileServerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string> OddlyTypedEvents() => new()
    {
        """{"type":5}""",
        """{"type":true}""",
        """{"type":null}""",
        """{"type":{"nested":"object"}}""",
        """{"type":"response.output_text.delta","item_id":"msg_odd","output_index":0,"delta":"\ud800"}""",
        """{"type":"response.in_progress","response":{"id":5}}""",
        """{"type":"response.in_progress","response":{"id":"resp_odd","created_at":1.5}}""",
        "{\"type\":\"codex.deep\",\"x\":" + new string('[', 300) + new string(']', 300) + "}",
    };

    [Theory]
    [MemberData(nameof(OddlyTypedEvents))]
    public async Task An_oddly_typed_event_is_a_protocol_violation_and_nothing_else_breaks(string frame)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents([Created("resp_odd"), frame]));

        var error = await CallFailsAsync(client);

        error.Kind.Should().Be(ResponsesErrorKind.ProtocolViolation);
        error.IsTransient.Should().BeFalse("a malformed event is deterministic; retrying would only repeat it");
        (await client.GetResponseAsync("again").WaitAsync(Patience)).Text.Should().Be("You said: again");
        await client.Awaiting(c => c.DisposeAsync().AsTask().WaitAsync(Patience)).Should().NotThrowAsync();
    }

    [Fact]
    public async Task An_odd_first_event_does_not_resurface_on_the_next_call_or_at_disposal()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(["""{"type":5}"""]));

        (await CallFailsAsync(client)).Kind.Should().Be(ResponsesErrorKind.ProtocolViolation);
        (await client.GetResponseAsync("again").WaitAsync(Patience)).Text.Should().Be("You said: again");
        await client.Awaiting(c => c.DisposeAsync().AsTask().WaitAsync(Patience)).Should().NotThrowAsync();
    }

    public static TheoryData<string, string> LooselyReadFields() => new()
    {
        { "1.5", "1700000000" },
        { "1e30", "1700000000" },
        { "18446744073709551616", "1700000000" },
        { "\"7\"", "1700000000" },
        { "0", "99999999999999" },
        { "0", "-99999999999999" },
    };

    [Theory]
    [MemberData(nameof(LooselyReadFields))]
    public async Task Fields_the_client_does_not_need_strictly_never_fail_a_call(string sequenceNumber, string createdAt)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var frames = TextResponse("resp_loose", "msg_loose", "hel", "lo");
        frames[0] = Created("resp_loose", createdAt, sequenceNumber);
        frames[4] = Delta("msg_loose", "hel", sequence: sequenceNumber);
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));

        var response = await client.GetResponseAsync("hi").WaitAsync(Patience);

        response.Text.Should().Be("hello");
        response.ResponseId.Should().Be("resp_loose");
    }

    [Fact]
    public async Task Invalid_utf8_is_a_protocol_violation_not_a_transient_close()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var badDelta = Encoding.UTF8.GetBytes("""{"type":"response.output_text.delta","item_id":"msg_u","output_index":0,"delta":"AB"}""");
        badDelta[^3] = 0xC3;
        badDelta[^2] = 0x28;
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawFrames(RawFrame.Text(Created("resp_utf8")), RawFrame.TextBytes(badDelta)));

        var error = await CallFailsAsync(client);

        error.Kind.Should().Be(ResponsesErrorKind.ProtocolViolation);
        error.IsTransient.Should().BeFalse();
        (await client.GetResponseAsync("again").WaitAsync(Patience)).Text.Should().Be("You said: again");
    }

    [Fact]
    public async Task A_message_over_the_default_limit_is_refused_while_receiving_and_the_socket_is_dropped()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents([Created("resp_big"), Padding(ResponsesWebSocketChatClientOptions.DefaultMaxMessageSize + 1)]));

        var error = await CallFailsAsync(client);

        error.Kind.Should().Be(ResponsesErrorKind.ProtocolViolation);
        error.Message.Should().Contain("MaxMessageSize");
        (await client.GetResponseAsync("again").WaitAsync(Patience)).Text.Should().Be("You said: again");
        fixture.Server.HandshakeCount.Should().Be(2, "the socket that carried the oversized message is aborted, not reused");
    }

    [Fact]
    public async Task MaxMessageSize_is_the_exact_bound()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxMessageSize = 64 * 1024);
        var frames = TextResponse("resp_fit", "msg_fit", "ok");
        frames.Insert(1, Padding(64 * 1024));
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents([Created("resp_over"), Padding((64 * 1024) + 1)]));

        (await client.GetResponseAsync("fits").WaitAsync(Patience)).Text.Should().Be("ok");
        (await CallFailsAsync(client)).Message.Should().Contain("MaxMessageSize (65536 bytes)");
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void MaxMessageSize_outside_its_range_is_refused(int size) =>
        FluentActions.Invoking(() => new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("http://127.0.0.1:1/v1"), MaxMessageSize = size }))
            .Should().Throw<ArgumentException>().WithMessage("*MaxMessageSize*");

    [Fact]
    public async Task A_stray_delta_of_the_last_response_never_reaches_the_next_call()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(TextResponse("resp_a", "msg_a", "first")));
        var second = TextResponse("resp_b", "msg_b", "sec", "ond");
        second.Insert(0, Delta("msg_a", "LEAK-BEFORE"));
        second.Insert(3, Delta("msg_a", "LEAK-INSIDE"));
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(second));

        (await client.GetResponseAsync("one").WaitAsync(Patience)).Text.Should().Be("first");
        var response = await client.GetResponseAsync("two").WaitAsync(Patience);

        response.Text.Should().Be("second");
        fixture.Server.HandshakeCount.Should().Be(1);
    }

    [Fact]
    public async Task A_late_terminal_of_an_earlier_response_does_not_end_a_later_turn()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(TextResponse("resp_a", "msg_a", "first")));
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(TextResponse("resp_b", "msg_b", "second")));
        var third = TextResponse("resp_c", "msg_c", "one ", "two");
        third.Insert(5, Completed("resp_a", "msg_a", "first"));
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(third));

        (await client.GetResponseAsync("1").WaitAsync(Patience)).Text.Should().Be("first");
        (await client.GetResponseAsync("2").WaitAsync(Patience)).Text.Should().Be("second");
        var updates = await CollectAsync(client.GetStreamingResponseAsync("3"));

        updates.Select(u => u.ResponseId).Distinct().Should().Equal("resp_c");
        updates.ToChatResponse().Text.Should().Be("one two");
        fixture.Server.HandshakeCount.Should().Be(1);
    }

    [Fact]
    public async Task A_terminal_with_another_fresh_id_ends_the_turn_with_one_response_id()
    {
        // A fresh id may be a proxy's rotation (the turn ends), but one call never reports two response ids.
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var frames = TextResponse("resp_mine", "msg_mine", "one ", "two");
        frames.Insert(5, Completed("resp_other", "msg_other", "foreign"));
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));

        var updates = await CollectAsync(client.GetStreamingResponseAsync("hi"));

        updates.Select(u => u.ResponseId).Distinct().Should().Equal("resp_mine");
        (await client.GetResponseAsync("again").WaitAsync(Patience)).Text.Should().Be("You said: again");
    }

    [Fact]
    public async Task A_stream_whose_ids_rotate_on_every_event_still_completes()
    {
        // The shape of GitHub Copilot's Responses stream (recorded as github-copilot-id-rotation): fresh ids everywhere.
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var id = 0;
        string Next() => "capture-id-" + ++id;
        var frames = new List<string> { Created(Next()), InProgress(Next()) };
        frames.Add("""{"type":"response.output_item.added","output_index":0,"item":{"id":"@ID@","type":"message","role":"assistant","content":[]}}""".Replace("@ID@", Next(), StringComparison.Ordinal));
        frames.AddRange(new[] { "hel", "lo" }.Select(d => Delta(Next(), d)));
        frames.Add(Completed(Next(), Next(), "hello"));
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));

        var response = await client.GetResponseAsync("hi").WaitAsync(Patience);

        response.Text.Should().Be("hello");
        response.ResponseId.Should().Be("capture-id-1");
    }

    [Fact]
    public async Task A_late_error_between_turns_retires_the_socket_and_the_next_call_succeeds()
    {
        var logs = new CapturingLoggerFactory();
        await using var fixture = await ServerFixture.StartAsync();
        await using var client = new ResponsesWebSocketChatClient(
            new() { Endpoint = fixture.Server.BaseUri, ApiKey = fixture.Server.ApiKey, Model = "m", MaxConnections = 1 }, logs);
        var first = TextResponse("resp_a", "msg_a", "first");
        first.Add(Delta("msg_a", "LEAK"));
        first.Add("""{"type":"error","status":500,"error":{"type":"server_error","code":"server_error","message":"late"}}""");
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(first));

        (await client.GetResponseAsync("one").WaitAsync(Patience)).Text.Should().Be("first");
        await logs.WaitForAsync("IdleError").WaitAsync(Patience);
        var response = await client.GetResponseAsync("two").WaitAsync(Patience);

        response.Text.Should().Be("You said: two");
        fixture.Server.HandshakeCount.Should().Be(2, "a socket that sent an unsolicited error is not reused");
    }

    [Fact]
    public async Task A_server_that_reuses_response_and_item_ids_on_one_socket_is_not_taken_for_strays()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);

        // A per-connection counter: every response on the socket is resp_1 with item msg_1.
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(TextResponse("resp_1", "msg_1", "first")));
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(TextResponse("resp_1", "msg_1", "second")));

        (await client.GetResponseAsync("one").WaitAsync(Patience)).Text.Should().Be("first");
        (await client.GetResponseAsync("two").WaitAsync(Patience)).Text.Should().Be("second", "the new response is not dropped as a leftover of the first");
        fixture.Server.HandshakeCount.Should().Be(1);
    }

    private static string Padding(int totalBytes)
    {
        const string Prefix = "{\"type\":\"codex.padding\",\"pad\":\"";
        const string Suffix = "\"}";
        return Prefix + new string('x', totalBytes - Prefix.Length - Suffix.Length) + Suffix;
    }

    private static async Task<ResponsesException> CallFailsAsync(ResponsesWebSocketChatClient client)
    {
        var act = () => client.GetResponseAsync("hi").WaitAsync(Patience);
        return (await act.Should().ThrowAsync<ResponsesException>()).Which;
    }

    private static Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates) =>
        ServerFixture.CollectAsync(updates).WaitAsync(Patience);
}
