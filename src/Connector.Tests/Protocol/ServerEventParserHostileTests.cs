using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Protocol;

/// <summary>Well-formed but odd payloads: the parser throws only <see cref="JsonException"/>, and never for fields it does not need.</summary>
public class ServerEventParserHostileTests
{
    private static ServerEvent Parse(string json) => ServerEventParser.Parse(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("""{"type":5}""")]
    [InlineData("""{"type":true}""")]
    [InlineData("""{"type":null}""")]
    [InlineData("""{"type":"response.output_text.delta","delta":"\udc00"}""")]
    [InlineData("""{"type":"response.output_text.delta","item_id":"\ud800x"}""")]
    [InlineData("""{"type":"error","message":"\ud800"}""")]
    [InlineData("""{"type":"error","status":"\ud800"}""")]
    [InlineData("""{"type":"codex.x","refusal":"ok","type2":1, "type":"\ud800"}""")]
    public void Oddly_typed_or_undecodable_fields_throw_JsonException(string payload)
    {
        var act = () => Parse(payload);

        act.Should().Throw<JsonException>();
    }

    [Fact]
    public void Invalid_utf8_in_a_read_string_throws_JsonException()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"type":"response.output_text.delta","delta":"AB"}""");
        bytes[^3] = 0xC3;
        bytes[^2] = 0x28;

        var act = () => ServerEventParser.Parse(bytes);

        act.Should().Throw<JsonException>();
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e30")]
    [InlineData("-1e30")]
    [InlineData("18446744073709551616")]
    [InlineData("\"12\"")]
    [InlineData("null")]
    public void A_sequence_number_that_is_not_an_int64_reads_as_absent(string value)
    {
        var evt = Parse("""{"type":"response.output_text.delta","delta":"x","sequence_number":""" + value + "}");

        evt.Type.Should().Be(ServerEventType.OutputTextDelta);
        evt.SequenceNumber.Should().BeNull();
        evt.Delta.Should().Be("x");
    }
}
