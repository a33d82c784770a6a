using System.Text;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Conversations;

/// <summary>Items a server sent in odd shapes still get a key (from their exact bytes when nothing else works), never an exception.</summary>
public class ItemKeyHostileTests
{
    [Theory]
    [InlineData((int)InputItemKind.Message, """{"type":"message","role":"assistant","content":[null,5,"text",{"type":"output_text","text":"ok"}]}""")]
    [InlineData((int)InputItemKind.Message, """{"type":5,"role":"assistant","content":[]}""")]
    [InlineData((int)InputItemKind.FunctionCall, """{"type":"function_call","call_id":"c","name":"f","arguments":"{\"n\":1e400}"}""")]
    [InlineData((int)InputItemKind.Other, """{"type":"web_search_call","status":"completed","action":{"q":1e400,"\ud800":"x"}}""")]
    [InlineData((int)InputItemKind.Other, """{"type":"web_search_call","note":"\udc00"}""")]
    public void An_odd_item_gets_a_key_without_throwing(int kind, string json)
    {
        var item = new InputItem((InputItemKind)kind, Encoding.UTF8.GetBytes(json));

        var act = () => ItemKey.Compute(item);

        act.Should().NotThrow().Which.Should().NotBeNull();
    }

    [Fact]
    public void The_byte_fallback_still_tells_items_apart_and_matches_identical_bytes()
    {
        static UInt128? Key(string json) => ItemKey.Compute(new InputItem(InputItemKind.Other, Encoding.UTF8.GetBytes(json)));

        Key("""{"type":"x_call","note":"\udc00a"}""").Should().Be(Key("""{"type":"x_call","note":"\udc00a"}"""))
            .And.NotBe(Key("""{"type":"x_call","note":"\udc00b"}"""));
    }
}
