using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Mapping;

public class ResponseUpdateMapperTests
{
    private const string Created = """{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1700000000,"status":"in_progress","model":"gpt-test","output":[],"usage":null}}""";

    private static List<ChatResponseUpdate> MapAll(ResponseUpdateMapper mapper, params string[] frames)
    {
        var updates = new List<ChatResponseUpdate>();
        foreach (var frame in frames)
        {
            var mapped = mapper.Map(ServerEventParser.Parse(Encoding.UTF8.GetBytes(frame)));
            while (mapper.TakeReleased() is { } earlier) updates.Add(earlier);
            if (mapped is not null) updates.Add(mapped);
        }

        return updates;
    }

    private static string Completed(string output = "[]", string? incomplete = null, string type = "response.completed")
    {
        var details = incomplete is null ? "null" : "{\"reason\":\"" + incomplete + "\"}";
        return "{\"type\":\"" + type + "\",\"response\":{\"id\":\"resp_1\",\"created_at\":1700000000,\"status\":\"completed\",\"model\":\"gpt-test\",\"output\":" + output
            + ",\"incomplete_details\":" + details
            + ",\"usage\":{\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":8},\"output_tokens\":6,\"output_tokens_details\":{\"reasoning_tokens\":2},\"total_tokens\":18}}}";
    }

    [Fact]
    public void Text_stream_maps_to_updates_with_role_message_and_response_ids()
    {
        var mapper = new ResponseUpdateMapper();
        var updates = MapAll(mapper,
            Created,
            """{"type":"response.in_progress","response":{"id":"resp_1","status":"in_progress"}}""",
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}""",
            """{"type":"response.content_part.added","item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}""",
            """{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hello"}""",
            """{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":" world"}""",
            """{"type":"response.output_text.done","item_id":"msg_1","output_index":0,"content_index":0,"text":"Hello world"}""",
            """{"type":"response.output_item.done","output_index":0,"item":{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello world","annotations":[]}]}}""",
            Completed());

        // One update per event, the content-less ones carrying the event; every one with the message's identity.
        updates.Should().HaveCount(9);
        WithContent(updates).Should().HaveCount(3);
        updates.Should().OnlyContain(u => u.Role == ChatRole.Assistant && u.MessageId == "msg_1" && u.ResponseId == "resp_1"
            && u.ModelId == "gpt-test" && u.CreatedAt == DateTimeOffset.FromUnixTimeSeconds(1700000000));
        updates.Where(u => u.Contents.Count == 0).Select(u => ((JsonElement)u.RawRepresentation!).GetProperty("type").GetString()).Should().Equal(
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.done", "response.output_item.done");
        string.Concat(updates.Select(u => u.Text)).Should().Be("Hello world");
        updates.ToChatResponse().Messages.Should().ContainSingle().Which.MessageId.Should().Be("msg_1", "held lifecycle updates start no empty message");
        updates[^1].FinishReason.Should().Be(ChatFinishReason.Stop);
        var usage = updates[^1].Contents.OfType<UsageContent>().Single().Details;
        usage.InputTokenCount.Should().Be(12);
        usage.CachedInputTokenCount.Should().Be(8);
        usage.OutputTokenCount.Should().Be(6);
        usage.ReasoningTokenCount.Should().Be(2);
        usage.TotalTokenCount.Should().Be(18);
        mapper.OutputItems.Should().ContainSingle(i => i.Kind == InputItemKind.Message && i.Id == "msg_1");
    }

    [Fact]
    public void Function_call_is_emitted_once_complete_at_item_done()
    {
        var mapper = new ResponseUpdateMapper();
        const string item = """{"id":"fc_1","type":"function_call","status":"completed","arguments":"{\"city\":\"Paris\",\"days\":3}","call_id":"call_1","name":"weather"}""";
        var updates = MapAll(mapper,
            Created,
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"fc_1","type":"function_call","status":"in_progress","arguments":"","call_id":"call_1","name":"weather"}}""",
            """{"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":0,"delta":"{\"city\""}""",
            """{"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":0,"delta":":\"Paris\",\"days\":3}"}""",
            """{"type":"response.function_call_arguments.done","item_id":"fc_1","output_index":0,"arguments":"{\"city\":\"Paris\",\"days\":3}"}""",
            """{"type":"response.output_item.done","output_index":0,"item":""" + item + "}",
            Completed("[" + item + "]"));

        updates.Should().HaveCount(7);
        updates.Where(u => u.Contents.Count == 0).Should().OnlyContain(u => u.RawRepresentation is JsonElement);
        updates = WithContent(updates);
        updates.Should().HaveCount(2);
        var call = updates[0].Contents.Should().ContainSingle().Which.Should().BeOfType<FunctionCallContent>().Subject;
        call.CallId.Should().Be("call_1");
        call.Name.Should().Be("weather");
        call.Arguments!["city"]!.ToString().Should().Be("Paris");
        call.Arguments["days"]!.ToString().Should().Be("3");
        call.RawRepresentation.Should().BeOfType<InputItem>().Which.ToString().Should().Be(item);
        updates[0].MessageId.Should().Be("resp_1");
        updates[0].Role.Should().Be(ChatRole.Assistant);
        updates[^1].FinishReason.Should().Be(ChatFinishReason.ToolCalls);
    }

    [Fact]
    public void Malformed_function_arguments_surface_on_the_call_not_as_a_crash()
    {
        var mapper = new ResponseUpdateMapper();
        var updates = MapAll(mapper, Created,
            """{"type":"response.output_item.done","output_index":0,"item":{"id":"fc_1","type":"function_call","arguments":"{not json","call_id":"c","name":"f"}}""");

        WithContent(updates).Single().Contents.OfType<FunctionCallContent>().Single().Exception.Should().NotBeNull();
    }

    [Fact]
    public void Reasoning_deltas_carry_the_item_id_and_the_done_item_carries_encrypted_content()
    {
        var mapper = new ResponseUpdateMapper();
        var updates = MapAll(mapper, Created,
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}""",
            """{"type":"response.reasoning_summary_part.added","item_id":"rs_1","output_index":0,"summary_index":0,"part":{"type":"summary_text","text":""}}""",
            """{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":0,"delta":"Think"}""",
            """{"type":"response.reasoning_summary_part.added","item_id":"rs_1","output_index":0,"summary_index":1,"part":{"type":"summary_text","text":""}}""",
            """{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":1,"delta":"More"}""",
            """{"type":"response.output_item.done","output_index":0,"item":{"id":"rs_1","type":"reasoning","encrypted_content":"gAAA-secret","summary":[{"type":"summary_text","text":"Think"},{"type":"summary_text","text":"More"}]}}""");

        var reasoning = updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().ToList();
        string.Concat(reasoning.Select(r => r.Text)).Should().Be("Think\n\nMore");
        reasoning.Should().OnlyContain(r => (string)r.AdditionalProperties![ChatMessageMapper.ReasoningItemIdKey]! == "rs_1");
        reasoning[^1].ProtectedData.Should().Be("gAAA-secret");
        reasoning[^1].RawRepresentation.Should().BeOfType<InputItem>().Which.Kind.Should().Be(InputItemKind.Reasoning);
        updates.Should().OnlyContain(u => u.Role == ChatRole.Assistant && u.MessageId == "resp_1");
    }

    [Fact]
    public void Merged_updates_fold_into_messages_that_round_trip_reasoning()
    {
        var mapper = new ResponseUpdateMapper();
        var updates = MapAll(mapper, Created,
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}""",
            """{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":0,"delta":"Plan"}""",
            """{"type":"response.output_item.done","output_index":0,"item":{"id":"rs_1","type":"reasoning","encrypted_content":"enc","summary":[{"type":"summary_text","text":"Plan"}]}}""",
            """{"type":"response.output_item.added","output_index":1,"item":{"id":"msg_2","type":"message","role":"assistant","content":[]}}""",
            """{"type":"response.output_text.delta","item_id":"msg_2","output_index":1,"content_index":0,"delta":"Answer"}""",
            Completed());

        var response = updates.ToChatResponse();

        response.Messages.Should().HaveCount(2);
        response.Messages[0].Contents.OfType<TextReasoningContent>().Single().ProtectedData.Should().Be("enc");
        response.Messages[1].Text.Should().Be("Answer");
        response.Messages[1].MessageId.Should().Be("msg_2");
        response.ResponseId.Should().Be("resp_1");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.Usage!.TotalTokenCount.Should().Be(18);
    }

    [Theory]
    [InlineData("max_output_tokens", true, "length")]
    [InlineData("content_filter", false, "content_filter")]
    [InlineData(null, true, "tool_calls")]
    [InlineData(null, false, "stop")]
    [InlineData("interruption", false, "interruption")]
    public void Finish_reason_prefers_length_then_filter_then_tool_calls(string? reason, bool calls, string expected) =>
        FinishReasonMapper.Map(reason, calls).Value.Should().Be(expected);

    [Fact]
    public void Incomplete_stream_reports_length()
    {
        var updates = MapAll(new ResponseUpdateMapper(), Created, Completed(incomplete: "max_output_tokens", type: "response.incomplete"));

        updates.Should().HaveCount(2);
        updates[^1].FinishReason.Should().Be(ChatFinishReason.Length);
        updates.Should().OnlyContain(u => u.MessageId == "resp_1", "with no output item the response id is the only message id");
    }

    [Fact]
    public void Refusal_becomes_error_content_with_refusal_code()
    {
        var updates = MapAll(new ResponseUpdateMapper(), Created,
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[]}}""",
            """{"type":"response.refusal.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"No"}""",
            """{"type":"response.refusal.done","item_id":"msg_1","output_index":0,"content_index":0,"refusal":"No can do"}""",
            """{"type":"response.output_item.done","output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"refusal","refusal":"No can do"}]}}""");

        var error = updates.SelectMany(u => u.Contents).OfType<ErrorContent>().Should().ContainSingle().Subject;
        error.Message.Should().Be("No can do");
        error.ErrorCode.Should().Be("Refusal");
    }

    [Fact]
    public void Annotations_become_citations_once()
    {
        var updates = MapAll(new ResponseUpdateMapper(), Created,
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[]}}""",
            """{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"See docs"}""",
            """{"type":"response.output_text.annotation.added","item_id":"msg_1","output_index":0,"content_index":0,"annotation_index":0,"annotation":{"type":"url_citation","url":"https://example.com/a","title":"A","start_index":4,"end_index":8}}""",
            """{"type":"response.output_item.done","output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"See docs","annotations":[{"type":"url_citation","url":"https://example.com/a","title":"A","start_index":4,"end_index":8}]}]}}""");

        var citation = updates.SelectMany(u => u.Contents).SelectMany(c => c.Annotations ?? []).OfType<CitationAnnotation>().Should().ContainSingle().Subject;
        citation.Url.Should().Be(new Uri("https://example.com/a"));
        citation.Title.Should().Be("A");
        citation.AnnotatedRegions!.OfType<TextSpanAnnotatedRegion>().Single().StartIndex.Should().Be(4);
    }

    [Fact]
    public void Text_only_in_the_done_item_is_not_lost()
    {
        var updates = MapAll(new ResponseUpdateMapper(), Created,
            """{"type":"response.output_item.done","output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"Late text","annotations":[]}]}}""");

        WithContent(updates).Single().Text.Should().Be("Late text");
        updates.Should().OnlyContain(u => u.MessageId == "msg_1");
    }

    [Fact]
    public void Rotating_item_ids_are_keyed_by_output_index()
    {
        var updates = MapAll(new ResponseUpdateMapper(), Created,
            """{"type":"response.output_item.added","output_index":0,"item":{"id":"id-a","type":"message","role":"assistant","content":[]}}""",
            """{"type":"response.output_text.delta","item_id":"id-b","output_index":0,"content_index":0,"delta":"x"}""",
            """{"type":"response.output_text.delta","item_id":"id-c","output_index":0,"content_index":0,"delta":"y"}""");

        updates.Select(u => u.MessageId).Should().AllBe("id-a");
    }

    [Fact]
    public void Conversation_id_can_follow_the_response_id()
    {
        var updates = MapAll(new ResponseUpdateMapper(conversationIdIsResponseId: true), Created, Completed());

        updates.Should().HaveCount(2).And.OnlyContain(u => u.ConversationId == "resp_1");
    }

    private static List<ChatResponseUpdate> WithContent(List<ChatResponseUpdate> updates) => updates.Where(u => u.Contents.Count > 0).ToList();
}
