using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Protocol;

/// <summary>Every delta of one output item names the same item_id: the parser reuses the previous event's string.</summary>
public class ItemIdReuseTests
{
    private const string ItemId = "msg_0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void A_delta_of_the_same_item_reuses_the_previous_item_id_string()
    {
        var previous = new string(ItemId.AsSpan());
        var evt = ServerEventParser.Parse("""{"type":"response.output_text.delta","item_id":"msg_0123456789abcdef0123456789abcdef0123456789abcdef","output_index":0,"content_index":0,"delta":"Hi"}"""u8, previousItemId: previous);

        evt.ItemId.Should().BeSameAs(previous);
        evt.Delta.Should().Be("Hi");
    }

    [Fact]
    public void Another_item_or_an_escaped_spelling_is_read_as_written()
    {
        var previous = ItemId;

        var other = ServerEventParser.Parse("""{"type":"response.output_text.delta","item_id":"msg_other","delta":"x"}"""u8, previousItemId: previous);
        other.ItemId.Should().Be("msg_other");

        // The same id with an escaped character is the same text, so it is still the same item.
        var escaped = ServerEventParser.Parse("""{"type":"response.output_text.delta","item_id":"\u006dsg_0123456789abcdef0123456789abcdef0123456789abcdef","delta":"x"}"""u8, previousItemId: previous);
        escaped.ItemId.Should().BeSameAs(previous);

        ServerEventParser.Parse("""{"type":"response.output_text.delta","item_id":"msg_1","delta":"x"}"""u8).ItemId.Should().Be("msg_1");
    }
}
