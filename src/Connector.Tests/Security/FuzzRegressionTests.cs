using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;
using static ResponsesWebSocket.Tests.Security.RawStreams;

namespace ResponsesWebSocket.Tests.Security;

/// <summary>Inputs the event-stream fuzzer found (or that its findings pointed at), kept as regression tests.</summary>
public class FuzzRegressionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_undecodable_error_code_in_a_failed_response_is_a_protocol_violation()
    {
        // Fuzz seed 20261129, iteration 1774 (a recorded response.failed with a lone surrogate put into error.code).
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents([
            Created("resp_f"),
            """{"type":"response.failed","response":{"id":"resp_f","status":"failed","output":[],"error":{"code":"\ud800","message":"Content filter triggered"}}}""",
        ]));

        var act = () => client.GetResponseAsync("hi").WaitAsync(Patience);

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.ProtocolViolation);
        (await client.GetResponseAsync("again").WaitAsync(Patience)).Text.Should().Be("You said: again");
    }

    [Fact]
    public async Task Null_content_parts_annotations_and_summary_parts_in_done_items_are_skipped()
    {
        // Fuzz seed 20261128, iterations 3113 and 7671 (null-object on a done message item).
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents([
            Created("resp_n"),
            """{"type":"response.output_item.done","output_index":0,"item":{"id":"rs_n","type":"reasoning","summary":[null,{"type":"summary_text","text":"thought"}]}}""",
            """{"type":"response.output_item.done","output_index":1,"item":{"id":"msg_n","type":"message","role":"assistant","content":[null,{"type":"output_text","text":"kept","annotations":[null]}]}}""",
            """{"type":"response.completed","response":{"id":"resp_n","status":"completed","output":[]}}""",
        ]));

        var response = await client.GetResponseAsync("hi").WaitAsync(Patience);

        response.Text.Should().Be("kept");
        response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Should().ContainSingle().Which.Text.Should().Be("thought");
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\t")]
    public async Task A_blank_incomplete_reason_reads_as_no_reason(string reason)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        var frames = TextResponse("resp_i", "msg_i", "partial");
        frames[^1] = """{"type":"response.incomplete","response":{"id":"resp_i","status":"incomplete","incomplete_details":{"reason":"@R@"},"output":[]}}""".Replace("@R@", reason.Replace("\t", "\\t", StringComparison.Ordinal), StringComparison.Ordinal);
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(frames));

        var response = await client.GetResponseAsync("hi").WaitAsync(Patience);

        response.Text.Should().Be("partial");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
    }

    [Fact]
    public async Task An_undecodable_code_in_a_rejected_upgrade_body_still_gives_handshake_rejected()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.RejectNextHandshake(401, """{"error":{"code":"\ud800","message":"Incorrect API key provided."}}""");

        var act = () => client.GetResponseAsync("hi").WaitAsync(Patience);

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.HandshakeRejected);
        error.StatusCode.Should().Be(401);
    }

    [Fact]
    public async Task Garbage_that_arrives_after_the_next_request_was_sent_replays_that_request_on_a_new_socket()
    {
        // Fuzz seed 20261128, iteration 25: trailing garbage of one response reached the socket after the next request
        // went out, and failed it. Made deterministic: the server pauses before the garbage until the next request arrived.
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);
        var first = TextResponse("resp_a", "msg_a", "first");
        var firstCount = first.Count;
        first.Add("{\"type\":\"response.output_text.delta\",\"delta\":\"" + new string('x', ResponsesWebSocketChatClientOptions.DefaultMaxMessageSize) + "\"}");
        fixture.Server.Model.Enqueue(ScriptedReply.FromRawEvents(first));
        var release = new TaskCompletionSource();
        fixture.Server.Faults.PauseAfterEvents(firstCount, release.Task);

        (await client.GetResponseAsync("one").WaitAsync(Patience)).Text.Should().Be("first");
        var second = client.GetResponseAsync("two");
        await fixture.Server.WaitForRequestCountAsync(2).WaitAsync(Patience);
        release.SetResult();

        (await second.WaitAsync(Patience)).Text.Should().Be("You said: two");
        fixture.Server.HandshakeCount.Should().Be(2, "the socket that carried the garbage is dropped and the request replayed once");
    }
}
