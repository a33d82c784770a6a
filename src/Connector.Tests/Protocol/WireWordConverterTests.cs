using System.Text.Json;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Protocol;

/// <summary>Item and part types and roles are read as shared instances, and otherwise exactly as plain strings.</summary>
public class WireWordConverterTests
{
    [Fact]
    public void Known_words_are_shared_instances_across_items()
    {
        var added = JsonSerializer.Deserialize("""{"type":"function_call","id":"fc_1","role":"assistant"}"""u8, ResponsesJsonContext.Default.OutputItemWire)!;
        var done = JsonSerializer.Deserialize("""{"type":"function_call","id":"fc_1","role":"assistant"}"""u8, ResponsesJsonContext.Default.OutputItemWire)!;

        done.Type.Should().Be("function_call").And.BeSameAs(added.Type);
        done.Role.Should().Be("assistant").And.BeSameAs(added.Role);
        done.Id.Should().Be("fc_1");
    }

    [Theory]
    [InlineData("""{"type":"a_new_item_type"}""", "a_new_item_type")]
    [InlineData("""{"type":"func\u0074ion_call"}""", "function_call")]
    [InlineData("""{"type":""}""", "")]
    [InlineData("""{"type":null}""", null)]
    [InlineData("""{"type":"message_with_a_much_longer_name_than_any_known_word"}""", "message_with_a_much_longer_name_than_any_known_word")]
    public void Other_values_read_as_written(string json, string? expected)
    {
        JsonSerializer.Deserialize(json, ResponsesJsonContext.Default.OutputItemWire)!.Type.Should().Be(expected);
        JsonSerializer.Deserialize(json, ResponsesJsonContext.Default.ContentPartWire)!.Type.Should().Be(expected);
    }

    [Theory]
    [InlineData("""{"type":5}""")]
    [InlineData("""{"type":{"a":1}}""")]
    [InlineData("""{"role":true}""")]
    public void A_non_string_still_fails_the_item(string json)
    {
        var read = () => JsonSerializer.Deserialize(json, ResponsesJsonContext.Default.OutputItemWire);

        read.Should().Throw<JsonException>();
    }
}
