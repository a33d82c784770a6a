using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Protocol;

public class ServerEventParserTests
{
    private static ServerEvent Parse(string json) => ServerEventParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Text_delta_reads_fields_in_place()
    {
        var evt = Parse("""{"type":"response.output_text.delta","sequence_number":7,"item_id":"msg_1","output_index":2,"content_index":0,"delta":"Hel\"lo","logprobs":[],"obfuscation":"x"}""");

        evt.Type.Should().Be(ServerEventType.OutputTextDelta);
        evt.SequenceNumber.Should().Be(7);
        evt.ItemId.Should().Be("msg_1");
        evt.OutputIndex.Should().Be(2);
        evt.ContentIndex.Should().Be(0);
        evt.Delta.Should().Be("Hel\"lo");
    }

    [Fact]
    public void Type_may_come_after_the_other_fields()
    {
        var evt = Parse("""{"delta":"a","output_index":0,"type":"response.reasoning_summary_text.delta","summary_index":1}""");

        evt.Type.Should().Be(ServerEventType.ReasoningSummaryTextDelta);
        evt.SummaryIndex.Should().Be(1);
        evt.Delta.Should().Be("a");
    }

    [Fact]
    public void Unknown_type_and_unknown_fields_are_tolerated()
    {
        var evt = Parse("""{"type":"codex.rate_limits","sequence_number":3,"limits":{"a":[1,2,{"b":null}]},"future":true}""");

        evt.Type.Should().Be(ServerEventType.Unknown);
        evt.UnknownTypeName.Should().Be("codex.rate_limits");
        evt.IsTerminal.Should().BeFalse();
    }

    [Fact]
    public void Missing_sequence_number_and_stream_id_are_fine()
    {
        var evt = Parse("""{"type":"response.output_text.delta","delta":"x","stream_id":"main"}""");

        evt.SequenceNumber.Should().BeNull();
        evt.StreamId.Should().Be("main");
        evt.OutputIndex.Should().Be(-1);
    }

    [Fact]
    public void Nested_websocket_error_with_status_parses()
    {
        var evt = Parse("""
            {"type":"error","status":400,
             "error":{"type":"invalid_request_error","code":"previous_response_not_found",
                      "message":"Previous response with id 'resp_abc' not found.","param":"previous_response_id"},
             "headers":{"x-request-id":"req_1","x-ratelimit-reset":["1","2"]},"sequence_number":0}
            """);

        evt.Type.Should().Be(ServerEventType.Error);
        evt.IsTerminal.Should().BeTrue();
        evt.Error.Should().Be(new ResponsesError("previous_response_not_found", "Previous response with id 'resp_abc' not found.",
            "previous_response_id", "invalid_request_error", 400));
    }

    [Fact]
    public void Status_code_is_an_alias_of_status()
    {
        var evt = Parse("""{"type":"error","status_code":429,"error":{"code":"rate_limit_exceeded","message":"slow down"}}""");

        evt.Error!.Status.Should().Be(429);
        evt.Error.Code.Should().Be("rate_limit_exceeded");
        evt.Error.Message.Should().Be("slow down");
    }

    [Fact]
    public void Flat_sse_error_parses()
    {
        var evt = Parse("""{"type":"error","code":"server_error","message":"boom","param":null,"sequence_number":4}""");

        evt.Error.Should().Be(new ResponsesError("server_error", "boom", null, null, null));
    }

    [Fact]
    public void Error_without_information_gets_a_generic_message()
    {
        var evt = Parse("""{"type":"error","sequence_number":1}""");

        evt.Error!.Message.Should().Be(ResponsesError.GenericMessage);
        evt.Error.Code.Should().BeNull();
    }

    [Fact]
    public void Output_item_done_keeps_the_raw_item_bytes()
    {
        const string item = """{"id":"fc_1","type":"function_call","status":"completed","arguments":"{\"a\":1}","call_id":"call_1","name":"add"}""";
        var evt = Parse("""{"type":"response.output_item.done","output_index":1,"item":""" + item + "}");

        evt.Item!.CallId.Should().Be("call_1");
        evt.Item.Arguments.Should().Be("""{"a":1}""");
        Encoding.UTF8.GetString(evt.ItemJson!).Should().Be(item);
    }

    [Fact]
    public void Completed_snapshot_reads_usage_and_incomplete_details()
    {
        var evt = Parse("""
            {"type":"response.incomplete","response":{"id":"resp_9","object":"response","created_at":1765552659,"status":"incomplete",
             "model":"m-1","incomplete_details":{"reason":"max_output_tokens"},"tools":[{"type":"function","name":"x"}],
             "usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":4,"cache_write_tokens":2},"output_tokens":5,
                      "output_tokens_details":{"reasoning_tokens":3},"total_tokens":15}}}
            """);

        evt.IsTerminal.Should().BeTrue();
        evt.Response!.Id.Should().Be("resp_9");
        evt.Response.IncompleteDetails!.Reason.Should().Be("max_output_tokens");
        evt.Response.Usage!.InputTokensDetails!.CachedTokens.Should().Be(4);
        evt.Response.Usage.OutputTokensDetails!.ReasoningTokens.Should().Be(3);
    }

    [Fact]
    public void Failed_response_error_code_is_kept_as_an_open_string()
    {
        var evt = Parse("""{"type":"response.failed","response":{"id":"r","status":"failed","error":{"code":"insufficient_quota","message":"no money"}}}""");

        evt.Response!.Error!.Code.Should().Be("insufficient_quota");
        evt.Response.Error.Message.Should().Be("no money");
    }

    [Theory]
    [InlineData("response.completed")]
    [InlineData("response.incomplete")]
    [InlineData("response.failed")]
    [InlineData("response.cancelled")]
    [InlineData("response.done")]
    [InlineData("error")]
    public void Terminal_events_are_recognised(string type) =>
        Parse($$"""{"type":"{{type}}"}""").IsTerminal.Should().BeTrue();

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"delta\":\"no type\"}")]
    [InlineData("{\"type\":\"response.output_text.delta\",\"delta\":")]
    public void Malformed_payloads_throw_JsonException(string payload)
    {
        var act = () => Parse(payload);

        act.Should().Throw<JsonException>();
    }
}
