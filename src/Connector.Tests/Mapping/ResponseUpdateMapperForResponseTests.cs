using System.Text;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Mapping;

/// <summary>
/// The mapper's mode for a non-streaming call: no update per text, reasoning or argument delta, yet the merged response is
/// the streamed one (NonStreamingParityTests compares the two over every stream shape through the socket).
/// </summary>
public class ResponseUpdateMapperForResponseTests
{
    [Fact]
    public void A_streamed_answer_and_tool_call_need_a_handful_of_updates_instead_of_one_per_event()
    {
        var text = new RawStream("resp_1").Item("msg_1", """{"id":"msg_1","type":"message","role":"assistant","content":[]}""",
            """{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"a b c d e f g h ","annotations":[]}]}""",
            [.. "abcdefgh".Select(c => ("response.output_text.delta", $"\"content_index\":0,\"delta\":\"{c} \""))]);
        var frames = text
            .Item("fc_1", """{"id":"fc_1","type":"function_call","call_id":"call_1","name":"f","arguments":""}""", """{"id":"fc_1","type":"function_call","call_id":"call_1","name":"f","arguments":"{}"}""",
                ("response.function_call_arguments.delta", "\"delta\":\"{\""), ("response.function_call_arguments.delta", "\"delta\":\"}\""))
            .Completed();

        var streamed = MapAll(new ResponseUpdateMapper(conversationIdIsResponseId: true), frames);
        var merged = MapAll(new ResponseUpdateMapper(conversationIdIsResponseId: true, forResponse: true), frames);

        streamed.Should().HaveCount(frames.Count, "streaming yields one update per event");
        // created (in_progress and the message's events folded into it), the text run, the call's first event, the call, the completion.
        merged.Should().HaveCount(5);
        merged.SelectMany(u => u.Contents).OfType<TextContent>().Should().ContainSingle().Which.Text.Should().Be("a b c d e f g h ");
        merged.ToChatResponse().Text.Should().Be(streamed.ToChatResponse().Text);
        merged.ToChatResponse().Messages.Select(m => m.MessageId).Should().Equal(streamed.ToChatResponse().Messages.Select(m => m.MessageId));
    }

    [Fact]
    public void Without_raw_events_only_the_hosted_tool_progress_that_becomes_content_keeps_its_json()
    {
        var created = """{"type":"response.created","response":{"id":"resp_1","created_at":1700000000,"model":"m","output":[]}}"""u8;
        var arguments = """{"type":"response.function_call_arguments.delta","output_index":0,"item_id":"fc_1","delta":"{"}"""u8;
        var search = """{"type":"response.web_search_call.in_progress","output_index":0,"item_id":"ws_1"}"""u8;

        ServerEventParser.Parse(created, keepRaw: false).Raw.Should().BeNull();
        ServerEventParser.Parse(arguments, keepRaw: false).Raw.Should().BeNull();
        ServerEventParser.Parse(search, keepRaw: false).Raw.Should().NotBeNull("its JSON is the content's RawRepresentation");
        ServerEventParser.Parse(created).Raw.Should().NotBeNull("a stream keeps every event's JSON on its update");
        ServerEventParser.Parse(created, keepRaw: false).Response!.Id.Should().Be("resp_1");
    }

    private static List<ChatResponseUpdate> MapAll(ResponseUpdateMapper mapper, IReadOnlyList<string> frames)
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
}
