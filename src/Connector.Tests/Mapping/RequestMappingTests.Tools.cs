using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;

namespace ResponsesWebSocket.Tests.Mapping;

public sealed partial class RequestMappingTests
{
    private static string Tool(AITool tool, bool defaultStrict = false) => Utf8(ToolMapper.ToJson(tool, defaultStrict));

    [Fact]
    public void Function_tool_is_compact_with_explicit_strict_false_and_the_official_parameter_shape()
    {
        AIFunction function = AIFunctionFactory.Create((string city, int days = 3) => "sunny", "get_weather", "Gets the weather.");

        string json = Tool(function);

        // type, required, properties, additionalProperties first, as the official client normalises every function tool.
        json.Should().Be(
            """{"type":"function","name":"get_weather","description":"Gets the weather.","parameters":{"type":"object","required":["city"],"properties":{"city":{"type":"string"},"days":{"type":"integer","default":3}},"additionalProperties":false},"strict":false}""");
    }

    [Fact]
    public void Function_tool_without_description_sends_it_empty_and_gets_an_object_root()
    {
        Tool(new TestFunction("ping", null, """{"properties":{"x":{"type":"string"}},"title":"t"}""")).Should().Be(
            """{"type":"function","name":"ping","description":"","parameters":{"type":"object","required":[],"properties":{"x":{"type":"string"}},"additionalProperties":false,"title":"t"},"strict":false}""");
        Tool(AIFunctionFactory.CreateDeclaration("noop", null, default)).Should().Be(
            """{"type":"function","name":"noop","description":"","parameters":{"type":"object","required":[],"properties":{},"additionalProperties":false},"strict":false}""");
    }

    [Fact]
    public void Indented_schema_is_written_compact_and_keeps_its_own_additional_properties()
    {
        string json = Tool(new TestFunction("f", "d", """
            {
              "type": "object",
              "properties": { "a": { "type": "string" } },
              "required": ["a", "a"],
              "additionalProperties": true
            }
            """));

        json.Should().Be("""{"type":"function","name":"f","description":"d","parameters":{"type":"object","required":["a"],"properties":{"a":{"type":"string"}},"additionalProperties":true},"strict":false}""");
    }

    [Fact]
    public void Strict_comes_from_the_tool_then_the_options_then_false()
    {
        const string Schema = """{"type":"object","properties":{"a":{"type":"string"}}}""";
        TestFunction plain = new("plain", null, Schema);
        TestFunction strictTool = new("strict", null, Schema, new Dictionary<string, object?> { ["strict"] = true });
        TestFunction looseTool = new("loose", null, Schema, new Dictionary<string, object?> { ["strict"] = false });

        Tool(plain).Should().EndWith("\"strict\":false}");
        Tool(plain, defaultStrict: true).Should().EndWith("\"strict\":true}");
        Tool(strictTool).Should().EndWith("\"strict\":true}");
        Tool(looseTool, defaultStrict: true).Should().EndWith("\"strict\":false}");

        ShouldBeJson(Tool(strictTool), """
            {"type":"function","name":"strict","description":"","parameters":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false,"required":["a"]},"strict":true}
            """);
    }

    [Fact]
    public void Strict_tool_json_comes_from_chat_options()
    {
        ChatOptions options = new()
        {
            Tools = [new TestFunction("f", null, """{"type":"object","properties":{"a":{"type":"string"}}}""")],
            AdditionalProperties = new() { ["strict"] = true },
        };

        ShouldBeJson(Utf8(Create(options).Tools.Single()), """
            {"type":"function","name":"f","description":"","parameters":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false,"required":["a"]},"strict":true}
            """);
    }

    [Fact]
    public void Strict_transform_moves_defaults_and_unsupported_keywords_into_the_description_as_the_official_client_does()
    {
        TestFunction function = new("f", null, """
            {
              "type":"object",
              "properties":{
                "city":{"type":"string","description":"City","minLength":2,"pattern":"^[A-Z]"},
                "days":{"type":"integer","default":3},
                "when":{"type":"string","format":"date-time"}
              },
              "required":["city"]
            }
            """, new Dictionary<string, object?> { ["strict"] = true });

        JsonNode parameters = JsonNode.Parse(Tool(function))!["parameters"]!;

        string newLine = Environment.NewLine;
        parameters["properties"]!["city"]!["description"]!.GetValue<string>().Should().Be($"City{newLine}minLength: 2{newLine}pattern: ^[A-Z]");
        parameters["properties"]!["days"]!["description"]!.GetValue<string>().Should().Be("Default value: 3");
        parameters["properties"]!["when"]!["description"]!.GetValue<string>().Should().Be("format: date-time");
        parameters["required"]!.AsArray().Select(static n => n!.GetValue<string>()).Should().Equal("city", "days", "when");
        parameters["additionalProperties"]!.GetValue<bool>().Should().BeFalse();
        parameters.ToJsonString().Should().NotContain("minLength\":").And.NotContain("\"default\"");
    }

    [Fact]
    public void Strict_transform_does_not_touch_the_source_schema()
    {
        AIFunction function = AIFunctionFactory.Create((string city, int days = 3) => "x", "w");
        string before = function.JsonSchema.GetRawText();

        _ = Tool(function, defaultStrict: true);

        function.JsonSchema.GetRawText().Should().Be(before);
    }

    [Fact]
    public void Function_tool_json_is_cached_per_instance_and_strictness()
    {
        AIFunction function = AIFunctionFactory.Create(() => 1, "one");

        byte[]? loose = ToolMapper.ToJson(function, defaultStrict: false);
        byte[]? strict = ToolMapper.ToJson(function, defaultStrict: true);

        ToolMapper.ToJson(function, defaultStrict: false).Should().BeSameAs(loose);
        ToolMapper.ToJson(function, defaultStrict: true).Should().BeSameAs(strict);
        strict.Should().NotBeSameAs(loose);
    }

    [Fact]
    public void Hosted_tools_map_to_their_responses_shapes()
    {
        Tool(new HostedWebSearchTool()).Should().Be("""{"type":"web_search"}""");
        ShouldBeJson(Tool(new HostedWebSearchTool(new Dictionary<string, object?> { ["search_context_size"] = "low", ["unrelated"] = 1 })),
            """{"type":"web_search","search_context_size":"low"}""");
        ShouldBeJson(Tool(new HostedFileSearchTool { Inputs = [new HostedVectorStoreContent("vs_1"), new HostedFileContent("f")], MaximumResultCount = 5 }),
            """{"type":"file_search","vector_store_ids":["vs_1"],"max_num_results":5}""");
        ShouldBeJson(Tool(new HostedFileSearchTool()), """{"type":"file_search","vector_store_ids":[]}""");
        ShouldBeJson(Tool(new HostedCodeInterpreterTool { Inputs = [new HostedFileContent("file_1")] }),
            """{"type":"code_interpreter","container":{"type":"auto","file_ids":["file_1"]}}""");
        ShouldBeJson(Tool(new HostedCodeInterpreterTool()), """{"type":"code_interpreter","container":{"type":"auto"}}""");
        Tool(new HostedImageGenerationTool()).Should().Be("""{"type":"image_generation"}""");
    }

    [Fact]
    public void Mcp_server_tool_maps_url_headers_filters_and_approval()
    {
        HostedMcpServerTool server = new("deepwiki", "https://mcp.deepwiki.com/mcp")
        {
            ServerDescription = "Docs",
            AllowedTools = ["ask_question"],
            ApprovalMode = HostedMcpServerToolApprovalMode.NeverRequire,
            Headers = new Dictionary<string, string> { ["X-Key"] = "k" },
        };
        HostedMcpServerTool connector = new("mail", "connector_gmail")
        {
            Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer tok" },
            ApprovalMode = HostedMcpServerToolApprovalMode.RequireSpecific(["send"], ["read"]),
        };

        ShouldBeJson(Tool(server), """
            {"type":"mcp","server_label":"deepwiki","server_url":"https://mcp.deepwiki.com/mcp","server_description":"Docs",
             "headers":{"X-Key":"k"},"allowed_tools":{"tool_names":["ask_question"]},"require_approval":"never"}
            """);
        ShouldBeJson(Tool(connector), """
            {"type":"mcp","server_label":"mail","connector_id":"connector_gmail","authorization":"tok",
             "require_approval":{"always":{"tool_names":["send"]},"never":{"tool_names":["read"]}}}
            """);
        ShouldBeJson(Tool(new HostedMcpServerTool("s", "https://s.example/mcp") { ApprovalMode = HostedMcpServerToolApprovalMode.AlwaysRequire }),
            """{"type":"mcp","server_label":"s","server_url":"https://s.example/mcp","require_approval":"always"}""");
    }

    [Fact]
    public void Unknown_tool_kinds_are_skipped()
    {
        List<byte[]> tools = [];
        ToolMapper.AppendTools([new UnknownTool(), new HostedWebSearchTool()], defaultStrict: false, tools).Should().Be(1);
        tools.Select(Utf8).Should().Equal("""{"type":"web_search"}""");
    }
}
