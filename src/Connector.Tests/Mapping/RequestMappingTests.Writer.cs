using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Mapping;

public sealed partial class RequestMappingTests
{
    private static CreateRequest FullRequest()
    {
        CreateRequest request = new()
        {
            Model = "gpt-test",
            Instructions = "Be brief.",
            PreviousResponseId = "resp_1",
            Conversation = "conv_1",
            Store = false,
            Temperature = 0.7f,
            TopP = 0.1f,
            MaxOutputTokens = 100,
            ParallelToolCalls = true,
            ToolChoiceJson = "\"auto\""u8.ToArray(),
            ReasoningJson = """{"effort":"low"}"""u8.ToArray(),
            TextJson = """{"format":{"type":"text"}}"""u8.ToArray(),
        };
        request.Input.Add(new InputItem(InputItemKind.Message, """{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}"""u8.ToArray(), "user"));
        request.Tools.Add("""{"type":"web_search"}"""u8.ToArray());
        request.Extra.Add(new("service_tier", Json("\"flex\"")));
        return request;
    }

    [Fact]
    public void WebSocket_frame_starts_with_type_and_is_compact()
    {
        string frame = Utf8(CreateRequestWriter.WriteToArray(FullRequest(), RequestTransport.WebSocket));

        frame.Should().Be(
            """{"type":"response.create","model":"gpt-test","store":false,"instructions":"Be brief.","previous_response_id":"resp_1","conversation":"conv_1","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}],"temperature":0.7,"top_p":0.1,"max_output_tokens":100,"parallel_tool_calls":true,"tools":[{"type":"web_search"}],"tool_choice":"auto","reasoning":{"effort":"low"},"text":{"format":{"type":"text"}},"service_tier":"flex"}""");
    }

    [Fact]
    public void Http_body_has_stream_true_and_no_type()
    {
        JsonNode body = Frame(FullRequest(), RequestTransport.Http);

        body["type"].Should().BeNull();
        body["stream"]!.GetValue<bool>().Should().BeTrue();
        body["model"]!.GetValue<string>().Should().Be("gpt-test");
        Utf8(CreateRequestWriter.WriteToArray(FullRequest(), RequestTransport.Http)).Should().StartWith("""{"stream":true,"model":"gpt-test","store":false,""");
    }

    [Fact]
    public void Generate_false_is_written_only_on_the_socket()
    {
        CreateRequest warmup = FullRequest();
        warmup.Generate = false;
        CreateRequest generateTrue = FullRequest();
        generateTrue.Generate = true;

        Frame(warmup)["generate"]!.GetValue<bool>().Should().BeFalse();
        Frame(generateTrue).AsObject().ContainsKey("generate").Should().BeFalse();
        Frame(warmup, RequestTransport.Http).AsObject().ContainsKey("generate").Should().BeFalse();
    }

    [Fact]
    public void Store_is_always_written()
    {
        CreateRequest request = new() { Model = "m" };

        Frame(request)["store"]!.GetValue<bool>().Should().BeFalse();
        Frame(request, RequestTransport.Http)["store"]!.GetValue<bool>().Should().BeFalse();
        request.Store = true;
        Frame(request)["store"]!.GetValue<bool>().Should().BeTrue();
    }

    [Fact]
    public void WebSocket_frame_never_carries_stream_or_background_even_from_extra()
    {
        CreateRequest request = new() { Model = "m" };
        foreach (string key in new[] { "stream", "stream_options", "background", "stream_id", "generate", "type" })
        {
            request.Extra.Add(new(key, Json("true")));
        }

        string frame = Utf8(CreateRequestWriter.WriteToArray(request, RequestTransport.WebSocket));

        frame.Should().Be("""{"type":"response.create","model":"m","store":false,"input":[]}""");
        Utf8(CreateRequestWriter.WriteToArray(request, RequestTransport.Http))
            .Should().Be("""{"stream":true,"model":"m","store":false,"input":[]}""");
    }

    [Fact]
    public void Reserved_and_repeated_extra_keys_are_never_duplicated()
    {
        CreateRequest request = FullRequest();
        foreach (string key in new[] { "model", "store", "input", "instructions", "previous_response_id", "conversation", "tools", "tool_choice",
            "reasoning", "text", "temperature", "top_p", "max_output_tokens", "parallel_tool_calls" })
        {
            request.Extra.Add(new(key, Json("\"override\"")));
        }

        request.Extra.Add(new("service_tier", Json("\"priority\"")));
        request.Extra.Add(new("metadata", Json("""{"a":"b"}""")));

        byte[] frame = CreateRequestWriter.WriteToArray(request, RequestTransport.WebSocket);

        List<string> keys = [];
        Utf8JsonReader reader = new(frame);
        reader.Read();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            keys.Add(reader.GetString()!);
            reader.Read();
            reader.Skip();
        }

        keys.Should().OnlyHaveUniqueItems();
        JsonNode node = JsonNode.Parse(frame)!;
        node["model"]!.GetValue<string>().Should().Be("gpt-test");
        node["service_tier"]!.GetValue<string>().Should().Be("flex");
        node["metadata"]!["a"]!.GetValue<string>().Should().Be("b");
    }

    [Theory]
    [InlineData(0.7f, "0.7")]
    [InlineData(1f, "1")]
    [InlineData(0.1f, "0.1")]
    [InlineData(0.33f, "0.33")]
    [InlineData(1.2345678f, "1.2345678")]
    public void Floats_are_written_as_their_shortest_round_trip_form(float value, string expected)
    {
        string frame = Utf8(CreateRequestWriter.WriteToArray(new CreateRequest { Model = "m", Temperature = value, TopP = value }, RequestTransport.WebSocket));

        frame.Should().Contain($"\"temperature\":{expected},").And.Contain($"\"top_p\":{expected}}}");
    }

    [Fact]
    public void Write_to_a_buffer_writer_matches_write_to_array()
    {
        ArrayBufferWriter<byte> buffer = new();
        buffer.Write("prefix"u8);

        CreateRequestWriter.Write(buffer, FullRequest(), RequestTransport.WebSocket);

        buffer.WrittenSpan[6..].ToArray().Should().Equal(CreateRequestWriter.WriteToArray(FullRequest(), RequestTransport.WebSocket));
    }

    [Fact]
    public void Mapped_options_and_messages_make_a_complete_frame()
    {
        CreateRequest request = Create(new ChatOptions
        {
            Instructions = "Answer in one word.",
            Tools = [AIFunctionFactory.Create((string city) => "sunny", "weather", "Weather by city.")],
            ToolMode = ChatToolMode.Auto,
            AdditionalProperties = new() { ["prompt_cache_key"] = "k" },
        });
        ChatMessageMapper.AppendInputItems([new ChatMessage(ChatRole.User, "Weather in Oslo?")], request.Input);

        ShouldBeJson(Utf8(CreateRequestWriter.WriteToArray(request, RequestTransport.WebSocket)), """
            {"type":"response.create","model":"gpt-test","store":false,"instructions":"Answer in one word.",
             "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Weather in Oslo?"}]}],
             "tools":[{"type":"function","name":"weather","description":"Weather by city.",
                       "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":false}],
             "tool_choice":"auto","prompt_cache_key":"k","include":["reasoning.encrypted_content"]}
            """);
    }
}
