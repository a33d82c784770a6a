using System.Buffers;
using System.Text;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Protocol;

/// <summary>
/// The per-thread reused JSON buffers behind request frames and input items: each turn allocates about what it keeps,
/// and reuse never leaks bytes from one frame or item into another.
/// </summary>
public class ReusableJsonBufferTests
{
    private static readonly string Result4K = new('r', 4096);

    private static List<InputItem> MapToolResult(string callId, object result)
    {
        var items = new List<InputItem>();
        ChatMessageMapper.AppendInputItems([new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, result)])], items);
        return items;
    }

    private static CreateRequest Request(params InputItem[] input)
    {
        var request = new CreateRequest { Model = "m", PreviousResponseId = "resp_1" };
        request.Input.AddRange(input);
        return request;
    }

    private static byte[] FreshFrame(CreateRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        CreateRequestWriter.Write(buffer, request, RequestTransport.WebSocket);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void A_frame_costs_one_allocation_of_its_own_size_once_the_thread_has_written_one()
    {
        var request = Request(MapToolResult("call_1", Result4K)[0]);
        CreateRequestWriter.WriteToArray(request, RequestTransport.WebSocket);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var frame = CreateRequestWriter.WriteToArray(request, RequestTransport.WebSocket);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A fresh growing buffer cost 1 + 2 + 4 + 8 KB before the copy; now only the copy (plus its array header) remains.
        frame.Length.Should().BeGreaterThan(4096);
        allocated.Should().BeLessThan(frame.Length + 256);
    }

    [Fact]
    public void Mapping_a_4_KB_tool_result_allocates_about_the_item_once_the_thread_has_mapped_one()
    {
        MapToolResult("call_0", Result4K);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var items = MapToolResult("call_1", Result4K);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // The item's own bytes plus a few small objects (list, item, message mapping); a fresh buffer grew to 32 KB.
        allocated.Should().BeLessThan(items[0].Json.Length + 4096);
    }

    [Fact]
    public void A_rented_frame_is_the_same_bytes_and_allocates_nothing_once_the_pool_has_its_size()
    {
        var request = Request(MapToolResult("call_1", Result4K)[0]);
        CreateRequestWriter.WriteRented(request, RequestTransport.WebSocket).Dispose();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var frame = CreateRequestWriter.WriteRented(request, RequestTransport.WebSocket);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        try
        {
            frame.Memory.ToArray().Should().Equal(FreshFrame(request));
            frame.Length.Should().BeGreaterThan(4096);
            allocated.Should().BeLessThan(256, "the frame comes from the pool, not a new array of its size");
        }
        finally
        {
            frame.Dispose();
        }
    }

    [Fact]
    public void Mapping_a_4_KB_json_string_tool_result_does_not_decode_it_into_a_string()
    {
        // What AIFunctionFactory returns for a string: a JsonElement holding a JSON string.
        var result = System.Text.Json.JsonSerializer.SerializeToElement(Result4K);
        MapToolResult("call_0", result);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var items = MapToolResult("call_1", result);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Decoding first cost a second copy of the result (8 KB of UTF-16) on top of the item.
        allocated.Should().BeLessThan(items[0].Json.Length + 2048);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("quotes \" and \\ backslash, <html> & 'apostrophe' +")]
    [InlineData("line\nbreak\ttab \u0001 control")]
    [InlineData("unicode é 日本語 😀 emoji")]
    [InlineData("")]
    public void A_json_string_tool_result_is_written_as_the_decoded_string_would_be(string value)
    {
        var element = System.Text.Json.JsonSerializer.SerializeToElement(value);

        var fromElement = MapToolResult("call_1", element)[0].Json;
        var fromString = MapToolResult("call_1", value)[0].Json;

        Encoding.UTF8.GetString(fromElement).Should().Be(Encoding.UTF8.GetString(fromString));
    }

    [Fact]
    public void A_small_frame_after_a_large_one_is_exactly_what_a_fresh_writer_produces()
    {
        var large = Request(MapToolResult("call_1", Result4K)[0]);
        var small = Request(MapToolResult("call_2", "ok")[0]);

        var largeFrame = CreateRequestWriter.WriteToArray(large, RequestTransport.WebSocket);
        var largeCopy = largeFrame.ToArray();
        var smallFrame = CreateRequestWriter.WriteToArray(small, RequestTransport.WebSocket);

        smallFrame.Should().Equal(FreshFrame(small));
        largeFrame.Should().Equal(largeCopy, "a returned frame never shares memory with the reused buffer");
        largeFrame.Should().Equal(FreshFrame(large));
    }

    [Fact]
    public void Items_mapped_later_on_the_same_thread_never_change_earlier_items()
    {
        var first = MapToolResult("call_1", Result4K)[0];
        var firstCopy = first.Json.ToArray();

        var second = MapToolResult("call_2", "short");

        first.Json.Should().Equal(firstCopy);
        Encoding.UTF8.GetString(second[0].Json).Should().Be("""{"type":"function_call_output","call_id":"call_2","output":"short"}""");
    }

    [Fact]
    public void A_nested_rent_on_the_same_thread_gets_its_own_buffer()
    {
        ReusableJsonBuffer? slot = null;
        var outer = ReusableJsonBuffer.Rent(ref slot, CreateRequestWriter.WriterOptions);
        outer.Writer.WriteStringValue("outer");
        var inner = ReusableJsonBuffer.Rent(ref slot, CreateRequestWriter.WriterOptions);
        inner.Writer.WriteStringValue("inner");

        inner.Should().NotBeSameAs(outer);
        Encoding.UTF8.GetString(inner.ToArray()).Should().Be("\"inner\"");
        Encoding.UTF8.GetString(outer.ToArray()).Should().Be("\"outer\"");

        ReusableJsonBuffer.Return(ref slot, inner);
        ReusableJsonBuffer.Rent(ref slot, CreateRequestWriter.WriterOptions).Should().BeSameAs(inner, "a returned buffer is reused");
    }

    [Fact]
    public void A_buffer_that_grew_past_the_cap_is_not_kept()
    {
        ReusableJsonBuffer? slot = null;
        var buffer = ReusableJsonBuffer.Rent(ref slot, CreateRequestWriter.WriterOptions);
        buffer.Writer.WriteStringValue(new string('x', ReusableJsonBuffer.MaxRetainedBytes));
        buffer.Writer.Flush();

        ReusableJsonBuffer.Return(ref slot, buffer);

        slot.Should().BeNull();
    }

    [Fact]
    public void A_half_written_buffer_is_clean_when_it_is_rented_again()
    {
        ReusableJsonBuffer? slot = null;
        var buffer = ReusableJsonBuffer.Rent(ref slot, CreateRequestWriter.WriterOptions);
        buffer.Writer.WriteStartObject();
        buffer.Writer.WriteString("half", "written");
        ReusableJsonBuffer.Return(ref slot, buffer);

        var again = ReusableJsonBuffer.Rent(ref slot, CreateRequestWriter.WriterOptions);
        again.Writer.WriteNumberValue(1);

        Encoding.UTF8.GetString(again.ToArray()).Should().Be("1");
    }
}
