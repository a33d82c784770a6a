using ResponsesWebSocket.Conversations;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Mapping;

public sealed partial class RequestMappingTests
{
    private static readonly AIFunction WeatherTool = AIFunctionFactory.Create((string city) => "sunny", "weather");

    [Fact]
    public void Model_comes_from_options_then_client_defaults()
    {
        Create(null).Model.Should().Be("gpt-test");
        Create(new ChatOptions { ModelId = "gpt-other" }).Model.Should().Be("gpt-other");

        Action act = () => Create(new ChatOptions(), new ResponsesWebSocketChatClientOptions());
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("No model: set ResponsesWebSocketChatClientOptions.Model or ChatOptions.ModelId.");
    }

    [Fact]
    public void Null_options_give_a_minimal_request()
    {
        CreateRequest request = Create(null);

        ShouldBeJson(Frame(request).ToJsonString(),
            """{"type":"response.create","model":"gpt-test","store":false,"input":[],"include":["reasoning.encrypted_content"]}""");
    }

    [Fact]
    public void Sampling_and_instructions_map_and_unsupported_knobs_are_ignored()
    {
        ChatOptions options = new()
        {
            Instructions = "Be brief.",
            Temperature = 0.7f,
            TopP = 0.9f,
            MaxOutputTokens = 200,
            TopK = 5,
            Seed = 42,
            StopSequences = ["END"],
            FrequencyPenalty = 0.5f,
            PresencePenalty = 0.5f,
        };

        ShouldBeJson(Frame(Create(options)).ToJsonString(), """
            {"type":"response.create","model":"gpt-test","store":false,"instructions":"Be brief.","input":[],
             "temperature":0.7,"top_p":0.9,"max_output_tokens":200,"include":["reasoning.encrypted_content"]}
            """);
    }

    [Theory]
    [InlineData(ReasoningEffort.None, "none")]
    [InlineData(ReasoningEffort.Low, "low")]
    [InlineData(ReasoningEffort.Medium, "medium")]
    [InlineData(ReasoningEffort.High, "high")]
    [InlineData(ReasoningEffort.ExtraHigh, "xhigh")]
    public void Reasoning_effort_maps_to_wire_values(ReasoningEffort effort, string expected) =>
        Utf8(Create(new ChatOptions { Reasoning = new() { Effort = effort } }).ReasoningJson)
            .Should().Be($$"""{"effort":"{{expected}}"}""");

    [Theory]
    [InlineData(ReasoningOutput.Summary, """{"effort":"low","summary":"concise"}""")]
    [InlineData(ReasoningOutput.Full, """{"effort":"low","summary":"detailed"}""")]
    [InlineData(ReasoningOutput.None, """{"effort":"low"}""")]
    public void Reasoning_output_maps_to_summary(ReasoningOutput output, string expected) =>
        Utf8(Create(new ChatOptions { Reasoning = new() { Effort = ReasoningEffort.Low, Output = output } }).ReasoningJson)
            .Should().Be(expected);

    [Fact]
    public void Empty_reasoning_options_write_no_reasoning_object() =>
        Create(new ChatOptions { Reasoning = new() }).ReasoningJson.Should().BeNull();

    [Fact]
    public void Store_comes_from_additional_properties_then_client_options()
    {
        Create(new ChatOptions()).Store.Should().BeFalse();
        Create(new ChatOptions(), new ResponsesWebSocketChatClientOptions { Model = "m", Store = true }).Store.Should().BeTrue();
        Create(new ChatOptions { AdditionalProperties = new() { ["store"] = true } }).Store.Should().BeTrue();
        Create(new ChatOptions { AdditionalProperties = new() { ["store"] = Json("true") } }).Store.Should().BeTrue();
        Create(new ChatOptions { AdditionalProperties = new() { ["store"] = "True" } }).Store.Should().BeTrue();
        Create(new ChatOptions { AdditionalProperties = new() { ["store"] = false } }, new ResponsesWebSocketChatClientOptions { Model = "m", Store = true })
            .Store.Should().BeFalse();
        Create(new ChatOptions { AdditionalProperties = new() { ["store"] = "maybe" } }).Store.Should().BeFalse();
    }

    [Fact]
    public void Encrypted_reasoning_is_included_without_storage_whether_or_not_reasoning_is_set()
    {
        // Reasoning models return reasoning items on every turn; with store=false they are only resendable with their
        // encrypted content, so it is asked for by default, merged into the caller's include list at write time.
        Include(Create(new ChatOptions { Reasoning = new() { Effort = ReasoningEffort.Low } })).Should().Be("""["reasoning.encrypted_content"]""");
        Include(Create(new ChatOptions())).Should().Be("""["reasoning.encrypted_content"]""");
        Include(Create(null)).Should().Be("""["reasoning.encrypted_content"]""");

        Include(Create(new ChatOptions
        {
            AdditionalProperties = new() { ["include"] = new[] { "file_search_call.results" } },
        })).Should().Be("""["file_search_call.results","reasoning.encrypted_content"]""");

        Include(Create(new ChatOptions
        {
            AdditionalProperties = new() { ["include"] = Json("""["reasoning.encrypted_content"]""") },
        })).Should().Be("""["reasoning.encrypted_content"]""");

        Include(Create(new ChatOptions
        {
            AdditionalProperties = new() { ["include"] = "message.output_text.logprobs" },
        })).Should().Be("""["message.output_text.logprobs","reasoning.encrypted_content"]""");
    }

    [Fact]
    public void Encrypted_reasoning_follows_the_mode_and_stays_out_of_the_chain_fingerprint()
    {
        Include(Create(new ChatOptions { AdditionalProperties = new() { ["store"] = true } })).Should().BeNull("stored reasoning is resolvable by id");
        Include(Create(new ChatOptions(), new() { Model = "m", EncryptedReasoning = EncryptedReasoningMode.Never })).Should().BeNull();
        Include(Create(new ChatOptions { AdditionalProperties = new() { ["store"] = true } }, new() { Model = "m", EncryptedReasoning = EncryptedReasoningMode.Always }))
            .Should().Be("""["reasoning.encrypted_content"]""");
        Include(Create(new ChatOptions { AdditionalProperties = new() { ["include"] = "a" } }, new() { Model = "m", EncryptedReasoning = EncryptedReasoningMode.Never }))
            .Should().Be("\"a\"", "the caller's own include is theirs");

        // Turning it off for a model that rejects it must not read as a settings change (a lost chain).
        var on = Create(new ChatOptions());
        var off = Create(new ChatOptions());
        off.IncludeEncryptedReasoning = false;
        RequestFingerprint.Compute(on).Should().Be(RequestFingerprint.Compute(off));
    }

    private static string? Include(CreateRequest request) => Frame(request)["include"]?.ToJsonString();

    [Fact]
    public void Tool_choice_and_parallel_calls_are_written_only_with_tools()
    {
        ToolChoice(ChatToolMode.None).Should().Be("\"none\"");
        ToolChoice(ChatToolMode.Auto).Should().Be("\"auto\"");
        ToolChoice(ChatToolMode.RequireAny).Should().Be("\"required\"");
        ToolChoice(ChatToolMode.RequireSpecific("weather")).Should().Be("""{"type":"function","name":"weather"}""");
        ToolChoice(null).Should().Be("null");

        CreateRequest withTools = Create(new ChatOptions { Tools = [WeatherTool], AllowMultipleToolCalls = false });
        withTools.ParallelToolCalls.Should().BeFalse();

        CreateRequest onlyUnknown = Create(new ChatOptions { Tools = [new UnknownTool()], ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = true });
        onlyUnknown.Tools.Should().BeEmpty();
        onlyUnknown.ToolChoiceJson.Should().BeNull();
        onlyUnknown.ParallelToolCalls.Should().BeNull();

        CreateRequest noTools = Create(new ChatOptions { ToolMode = ChatToolMode.RequireAny, AllowMultipleToolCalls = true });
        noTools.ToolChoiceJson.Should().BeNull();
        noTools.ParallelToolCalls.Should().BeNull();

        static string ToolChoice(ChatToolMode? mode) =>
            Utf8(Create(new ChatOptions { Tools = [WeatherTool], ToolMode = mode }).ToolChoiceJson);
    }

    [Fact]
    public void Response_formats_map_to_text_format()
    {
        Utf8(Create(new ChatOptions { ResponseFormat = ChatResponseFormat.Text }).TextJson).Should().Be("""{"format":{"type":"text"}}""");
        Utf8(Create(new ChatOptions { ResponseFormat = ChatResponseFormat.Json }).TextJson).Should().Be("""{"format":{"type":"json_object"}}""");
        Create(new ChatOptions()).TextJson.Should().BeNull();
    }

    [Fact]
    public void Json_schema_format_defaults_to_strict_with_a_strict_valid_schema()
    {
        ChatResponseFormatJson format = ChatResponseFormat.ForJsonSchema(
            Json("""{"type":"object","properties":{"name":{"type":"string","minLength":1},"age":{"type":"integer"}},"required":["name"]}"""),
            schemaName: "Person",
            schemaDescription: "A person.");

        ShouldBeJson(Utf8(Create(new ChatOptions { ResponseFormat = format }).TextJson), """
            {"format":{"type":"json_schema","name":"Person","description":"A person.","strict":true,
              "schema":{"type":"object","properties":{"name":{"type":"string","description":"minLength: 1"},"age":{"type":"integer"}},
                        "required":["name","age"],"additionalProperties":false}}}
            """);
    }

    [Fact]
    public void Json_schema_format_can_opt_out_of_strict_and_defaults_its_name()
    {
        ChatResponseFormatJson format = new(Json("""{ "type": "object", "properties": { "a": { "type": "string", "minLength": 1 } } }"""));

        Utf8(Create(new ChatOptions { ResponseFormat = format, AdditionalProperties = new() { ["strict"] = false } }).TextJson).Should().Be(
            """{"format":{"type":"json_schema","name":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string","minLength":1}}},"strict":false}}""");
    }

    [Fact]
    public void Verbosity_goes_into_text()
    {
        Utf8(Create(new ChatOptions { AdditionalProperties = new() { ["verbosity"] = "low" } }).TextJson)
            .Should().Be("""{"verbosity":"low"}""");
        Utf8(Create(new ChatOptions { ResponseFormat = ChatResponseFormat.Text, AdditionalProperties = new() { ["verbosity"] = Json("\"high\"") } }).TextJson)
            .Should().Be("""{"format":{"type":"text"},"verbosity":"high"}""");
    }

    [Theory]
    [InlineData("conv_123", "conv_123")]
    [InlineData("CONV_abc", "CONV_abc")]
    [InlineData("resp_123", null)]
    [InlineData("my-thread", null)]
    public void Only_conversation_ids_map_to_conversation(string conversationId, string? expected)
    {
        CreateRequest request = Create(new ChatOptions { ConversationId = conversationId });

        request.Conversation.Should().Be(expected);
        request.PreviousResponseId.Should().BeNull();
    }

    [Fact]
    public void Escape_hatches_are_copied_and_consumed_or_unknown_keys_are_not()
    {
        ChatOptions options = new()
        {
            AdditionalProperties = new()
            {
                ["store"] = true,
                ["strict"] = true,
                ["verbosity"] = "low",
                ["some_sk_setting"] = "x",
                ["prompt"] = Json("""{"id":"pmpt_1"}"""),
                ["metadata"] = new Dictionary<string, string> { ["k"] = "v" },
                ["prompt_cache_key"] = "cache-1",
                ["prompt_cache_retention"] = "24h",
                ["service_tier"] = "flex",
                ["truncation"] = "auto",
                ["safety_identifier"] = "user-hash",
                ["user"] = "u1",
                ["max_tool_calls"] = 4,
                ["top_logprobs"] = 2,
                ["context_management"] = Json("""[{"type":"compaction"}]"""),
                ["include"] = new List<string> { "web_search_call.action.sources" },
                ["background"] = true,
                ["stream"] = true,
            },
        };

        Extra(Create(options)).Should().Be(
            """{"include":["web_search_call.action.sources"],"metadata":{"k":"v"},"prompt_cache_key":"cache-1","prompt_cache_retention":"24h","service_tier":"flex","truncation":"auto","safety_identifier":"user-hash","user":"u1","max_tool_calls":4,"top_logprobs":2,"context_management":[{"type":"compaction"}],"prompt":{"id":"pmpt_1"}}""");
    }

    [Fact]
    public void Options_are_not_mutated()
    {
        ChatOptions options = new()
        {
            ModelId = "m",
            Tools = [WeatherTool],
            Reasoning = new() { Effort = ReasoningEffort.High },
            AdditionalProperties = new() { ["include"] = new[] { "a" }, ["strict"] = true },
            ResponseFormat = ChatResponseFormat.Json,
        };

        _ = Create(options);

        options.Tools.Should().Equal(WeatherTool);
        options.AdditionalProperties.Keys.Should().BeEquivalentTo("include", "strict");
        ((string[])options.AdditionalProperties["include"]!).Should().Equal("a");
        options.Reasoning.Effort.Should().Be(ReasoningEffort.High);
        options.Reasoning.Output.Should().BeNull();
    }

    private static string Extra(CreateRequest request)
    {
        System.Text.Json.Nodes.JsonObject extra = [];
        foreach (KeyValuePair<string, System.Text.Json.JsonElement> entry in request.Extra)
        {
            extra[entry.Key] = System.Text.Json.Nodes.JsonNode.Parse(entry.Value.GetRawText());
        }

        return extra.ToJsonString();
    }
}
