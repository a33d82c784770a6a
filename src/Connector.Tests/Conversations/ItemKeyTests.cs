using System.Text;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Conversations;

public class ItemKeyTests
{
    internal static InputItem Item(InputItemKind kind, string json, string? role = null, string? callId = null, string? id = null) =>
        new(kind, Encoding.UTF8.GetBytes(json), role, callId, id);

    [Fact]
    public void Input_and_output_text_of_the_same_message_match()
    {
        var ours = Item(InputItemKind.Message, """{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"Hi"}]}""", "assistant", id: "msg_1");
        var theirs = Item(InputItemKind.Message, """{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hi","annotations":[]}]}""", "assistant");

        ours.MatchKey.Should().NotBeNull().And.Be(theirs.MatchKey);
    }

    [Fact]
    public void Function_call_arguments_match_regardless_of_whitespace_key_order_and_number_format()
    {
        var server = Item(InputItemKind.FunctionCall, """{"id":"fc_1","type":"function_call","status":"completed","arguments":"{\"a\":1,\"b\":\"x\"}","call_id":"c1","name":"f"}""", callId: "c1");
        var rebuilt = Item(InputItemKind.FunctionCall, """{"type":"function_call","call_id":"c1","name":"f","arguments":"{\n  \"b\": \"x\",\n  \"a\": 1.0\n}"}""", callId: "c1");

        server.MatchKey.Should().Be(rebuilt.MatchKey);
    }

    [Fact]
    public void Different_text_role_call_id_or_output_do_not_match()
    {
        var user = Item(InputItemKind.Message, """{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}""", "user");

        user.MatchKey.Should().NotBe(Item(InputItemKind.Message, """{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi!"}]}""", "user").MatchKey);
        user.MatchKey.Should().NotBe(Item(InputItemKind.Message, """{"type":"message","role":"system","content":[{"type":"input_text","text":"Hi"}]}""", "system").MatchKey);
        Item(InputItemKind.FunctionCallOutput, """{"type":"function_call_output","call_id":"a","output":"1"}""").MatchKey
            .Should().NotBe(Item(InputItemKind.FunctionCallOutput, """{"type":"function_call_output","call_id":"b","output":"1"}""").MatchKey);
        Item(InputItemKind.FunctionCallOutput, """{"type":"function_call_output","call_id":"a","output":"1"}""").MatchKey
            .Should().NotBe(Item(InputItemKind.FunctionCallOutput, """{"type":"function_call_output","call_id":"a","output":"2"}""").MatchKey);
    }

    [Fact]
    public void Nested_arguments_match_in_any_key_order_and_keys_do_not_depend_on_items_computed_before()
    {
        // Keys are computed in one reused buffer per thread: a long item in between must not change a later short key.
        const string nested = """{"type":"function_call","call_id":"c1","name":"f","arguments":"{\"z\":{\"b\":[1,{\"y\":2,\"x\":1}],\"a\":true},\"m\":null}"}""";
        const string reordered = """{"arguments":"{\"m\":null,\"z\":{\"a\":true,\"b\":[1,{\"x\":1,\"y\":2}]}}","name":"f","call_id":"c1","type":"function_call"}""";
        var first = Item(InputItemKind.FunctionCall, nested, callId: "c1").MatchKey;
        _ = Item(InputItemKind.FunctionCallOutput, "{\"type\":\"function_call_output\",\"call_id\":\"c9\",\"output\":\"" + new string('x', 20_000) + "\"}").MatchKey;

        Item(InputItemKind.FunctionCall, reordered, callId: "c1").MatchKey.Should().NotBeNull().And.Be(first);
        Item(InputItemKind.FunctionCall, nested.Replace("""\"x\":1""", """\"x\":3""", StringComparison.Ordinal), callId: "c1").MatchKey.Should().NotBe(first);
    }

    [Fact]
    public void Reasoning_has_no_key()
    {
        Item(InputItemKind.Reasoning, """{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"x"}""").MatchKey.Should().BeNull();
    }
}
