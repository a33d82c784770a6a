using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Mapping;

public sealed partial class RequestMappingTests
{
    [Fact]
    public void Raw_input_item_is_emitted_verbatim_once_and_in_order()
    {
        // Deliberately odd spacing and key order: the bytes must survive untouched.
        InputItem call = new(InputItemKind.FunctionCall,
            """{"id":"fc_1", "type":"function_call","status":"completed","arguments":"{ \"q\" : 1 }","call_id":"call_1","name":"f"}"""u8.ToArray(),
            callId: "call_1", id: "fc_1");
        InputItem reasoning = new(InputItemKind.Reasoning,
            """{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"blob"}"""u8.ToArray(), id: "rs_1");

        List<InputItem> items = Map(
            new ChatMessage(ChatRole.User, [new TextContent("before"), new AIContent { RawRepresentation = call }, new TextContent("after")]),
            new ChatMessage(ChatRole.Assistant,
            [
                new TextReasoningContent("part 1") { RawRepresentation = reasoning },
                new TextReasoningContent("part 2") { RawRepresentation = reasoning },
                new TextReasoningContent(null) { ProtectedData = "blob", RawRepresentation = reasoning },
                new FunctionCallContent("call_1", "f") { RawRepresentation = call },
            ]));

        items.Should().HaveCount(4);
        items[0].ToString().Should().Be("""{"type":"message","role":"user","content":[{"type":"input_text","text":"before"}]}""");
        items[1].Should().BeSameAs(call);
        items[2].ToString().Should().Be("""{"type":"message","role":"user","content":[{"type":"input_text","text":"after"}]}""");
        items[3].Should().BeSameAs(reasoning);
    }

    [Fact]
    public void Raw_item_supersedes_mapped_pieces_of_the_same_item()
    {
        InputItem reasoning = new(InputItemKind.Reasoning,
            """{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"thinking"}],"encrypted_content":"blob"}"""u8.ToArray(), id: "rs_1");
        InputItem call = new(InputItemKind.FunctionCall,
            """{"type":"function_call","id":"fc_1","call_id":"call_1","name":"f","arguments":"{}"}"""u8.ToArray(), callId: "call_1", id: "fc_1");

        List<InputItem> items = Map(new ChatMessage(ChatRole.Assistant,
        [
            Reasoning("think", id: "rs_1"),
            Reasoning("ing", id: "rs_1"),
            new TextReasoningContent(null) { ProtectedData = "blob", RawRepresentation = reasoning },
            Reasoning("late duplicate", id: "rs_1"),
            new AIContent { RawRepresentation = call },
            new FunctionCallContent("call_1", "f"),
        ]));

        items.Should().Equal(reasoning, call);
    }

    [Fact]
    public void Reasoning_maps_id_summary_and_encrypted_content()
    {
        string json = MapToJson(new ChatMessage(ChatRole.Assistant,
        [
            Reasoning("Thinking about it.", id: "rs_1", protectedData: "enc_1"),
            new FunctionCallContent("call_1", "f"),
            Reasoning(null, id: Json("\"rs_2\"")),
            new FunctionCallContent("call_2", "f"),
            Reasoning("", protectedData: "enc_3"),
        ]));

        ShouldBeJson(json, """
            [
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Thinking about it."}],"encrypted_content":"enc_1"},
              {"type":"function_call","call_id":"call_1","name":"f","arguments":"{}"},
              {"type":"reasoning","id":"rs_2","summary":[]},
              {"type":"function_call","call_id":"call_2","name":"f","arguments":"{}"},
              {"type":"reasoning","summary":[],"encrypted_content":"enc_3"}
            ]
            """);
    }

    [Fact]
    public void Consecutive_reasoning_of_one_item_merges_and_last_protected_data_wins()
    {
        string json = MapToJson(
            new ChatMessage(ChatRole.Assistant, [Reasoning("Step one. ", id: "rs_1"), Reasoning("Step two.", id: "rs_1", protectedData: "old")]),
            new ChatMessage(ChatRole.Assistant, [Reasoning(null, id: "rs_1", protectedData: "new"), Reasoning("Other.", id: "rs_2", protectedData: "enc_2")]));

        ShouldBeJson(json, """
            [
              {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Step one. Step two."}],"encrypted_content":"new"},
              {"type":"reasoning","id":"rs_2","summary":[{"type":"summary_text","text":"Other."}],"encrypted_content":"enc_2"}
            ]
            """);
    }

    [Fact]
    public void Streamed_reasoning_without_ids_merges_until_encrypted_content_arrives()
    {
        string json = MapToJson(new ChatMessage(ChatRole.Assistant,
        [
            Reasoning("a"),
            Reasoning("b"),
            Reasoning(null, protectedData: "enc_1"),
            Reasoning("c", protectedData: "enc_2"),
        ]));

        ShouldBeJson(json, """
            [
              {"type":"reasoning","summary":[{"type":"summary_text","text":"ab"}],"encrypted_content":"enc_1"},
              {"type":"reasoning","summary":[{"type":"summary_text","text":"c"}],"encrypted_content":"enc_2"}
            ]
            """);
    }

    [Fact]
    public void Reasoning_with_neither_id_nor_protected_data_is_dropped()
    {
        Map(new ChatMessage(ChatRole.Assistant, [Reasoning("just a summary")])).Should().BeEmpty();
    }

    private static TextReasoningContent Reasoning(string? text, object? id = null, string? protectedData = null)
    {
        TextReasoningContent content = new(text) { ProtectedData = protectedData };
        if (id is not null)
        {
            content.AdditionalProperties = new() { [ChatMessageMapper.ReasoningItemIdKey] = id };
        }

        return content;
    }
}
