using System.ClientModel;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Compatibility;

/// <summary>
/// Differential test of the request side: the same tools and response format, sent through the official
/// Microsoft.Extensions.AI.OpenAI client (HTTP) and through ours (WebSocket) to the same local server, must produce the same
/// tool schemas and descriptions. Compared after compacting, key order included: the official client pretty-prints them,
/// ours sends them compact. The only intended difference is <c>strict</c>, which ours always sends as a boolean.
/// </summary>
public class ToolSchemaParityTests
{
    public enum Unit
    {
        Celsius,
        Fahrenheit,
    }

    public static TheoryData<string, bool?> Cases() => new()
    {
        { "weather", null },
        { "weather", true },
        { "weather", false },
        { "booking", null },
        { "booking", true },
        { "declaration", null },
        { "declaration", true },
        { "no_parameters", null },
        { "no_parameters", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Function_tool_schemas_match_the_official_client(string toolCase, bool? strict)
    {
        var tool = Tool(toolCase);
        var (theirs, ours) = await SendThroughBothAsync(Options(strict, tool));

        var theirTool = theirs["tools"]!.AsArray().Single()!;
        var ourTool = ours["tools"]!.AsArray().Single()!;
        ourTool["name"]!.GetValue<string>().Should().Be(theirTool["name"]!.GetValue<string>());
        Compact(ourTool["description"]).Should().Be(Compact(theirTool["description"]));
        Compact(ourTool["parameters"]).Should().Be(Compact(theirTool["parameters"]));

        // The official client sends "strict": null when it was not asked; ours always says what it means.
        Compact(theirTool["strict"]).Should().Be(strict is { } value ? (value ? "true" : "false") : "null");
        ourTool["strict"]!.GetValue<bool>().Should().Be(strict ?? false);
    }

    [Fact]
    public async Task Hosted_tools_match_the_official_client()
    {
        var options = new ChatOptions
        {
            Tools =
            [
                new HostedWebSearchTool(),
                new HostedFileSearchTool { Inputs = [new HostedVectorStoreContent("vs_1")], MaximumResultCount = 5 },
                new HostedCodeInterpreterTool { Inputs = [new HostedFileContent("file_1")] },
                new HostedCodeInterpreterTool(),
                new HostedImageGenerationTool(),
                new HostedMcpServerTool("deepwiki", "https://mcp.deepwiki.com/mcp")
                {
                    ServerDescription = "Docs",
                    AllowedTools = ["ask_question"],
                    ApprovalMode = HostedMcpServerToolApprovalMode.NeverRequire,
                    Headers = new Dictionary<string, string> { ["X-Key"] = "k" },
                },
                new HostedMcpServerTool("mail", "connector_gmail")
                {
                    Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer tok" },
                    ApprovalMode = HostedMcpServerToolApprovalMode.RequireSpecific(["send"], ["read"]),
                },
                new HostedMcpServerTool("s", "https://s.example/mcp") { ApprovalMode = HostedMcpServerToolApprovalMode.AlwaysRequire },
            ],
        };

        var (theirs, ours) = await SendThroughBothAsync(options);

        ours["tools"]!.AsArray().Select(Compact).Should().Equal(theirs["tools"]!.AsArray().Select(Compact));
    }

    [Fact]
    public async Task Strict_response_format_schema_matches_the_official_client()
    {
        var options = Options(strict: true);
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema<Booking>(schemaName: "booking", schemaDescription: "A booking.");
        var (theirs, ours) = await SendThroughBothAsync(options);

        var theirFormat = theirs["text"]!["format"]!;
        var ourFormat = ours["text"]!["format"]!;
        Compact(ourFormat["schema"]).Should().Be(Compact(theirFormat["schema"]));
        Compact(ourFormat["name"]).Should().Be(Compact(theirFormat["name"]));
        Compact(ourFormat["description"]).Should().Be(Compact(theirFormat["description"]));
        Compact(ourFormat["schema"]).Should().Contain("minimum: 1");
    }

    private static ChatOptions Options(bool? strict, AITool? tool = null)
    {
        var options = new ChatOptions();
        if (tool is not null) options.Tools = [tool];
        if (strict is { } value) options.AdditionalProperties = new() { ["strict"] = value };
        return options;
    }

    private static AIFunctionDeclaration Tool(string toolCase) => toolCase switch
    {
        "weather" => AIFunctionFactory.Create(
            ([Description("City")][MinLength(2)] string city, Unit unit = Unit.Celsius, int days = 3) => "sunny",
            "get_weather",
            "Gets the weather."),
        "booking" => AIFunctionFactory.Create((Booking booking, string[]? tags) => "ok", "book", "Books a table."),
        "declaration" => AIFunctionFactory.CreateDeclaration(
            "lookup",
            "Looks a thing up.",
            JsonElement.Parse("""
                {"properties":{"id":{"type":"string","format":"uuid","pattern":"^[0-9a-f-]+$"},"any":true,
                 "limit":{"type":["integer","null"],"minimum":1,"maximum":50,"default":10},
                 "filter":{"type":"object","properties":{"k":{"type":"string","maxLength":5}},"additionalProperties":true}},
                 "required":["id"],"title":"Lookup"}
                """)),
        "no_parameters" => AIFunctionFactory.Create(() => 42, "answer"),
        _ => throw new ArgumentOutOfRangeException(nameof(toolCase)),
    };

    private static async Task<(JsonNode Theirs, JsonNode Ours)> SendThroughBothAsync(ChatOptions options)
    {
        await using var fixture = await ServerFixture.StartAsync();
        using var official = new OpenAIClient(new ApiKeyCredential(fixture.Server.ApiKey!), new OpenAIClientOptions { Endpoint = fixture.Server.BaseUri })
            .GetResponsesClient().AsIChatClient("local-model");
        var ours = fixture.CreateClient();
        fixture.Server.Model.Enqueue(ScriptedReply.WithText("ok"));
        fixture.Server.Model.Enqueue(ScriptedReply.WithText("ok"));

        await official.GetResponseAsync("go", options).WaitAsync(TimeSpan.FromSeconds(30));
        await ours.GetResponseAsync("go", options).WaitAsync(TimeSpan.FromSeconds(30));

        fixture.Server.Requests.Select(r => r.Transport).Should().Equal("http", "websocket");
        return (JsonNode.Parse(fixture.Server.Requests[0].Json)!, JsonNode.Parse(fixture.Server.Requests[1].Json)!);
    }

    private static string Compact(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>A nested parameter type: objects, enums, arrays, nullable values and defaults all get transformed.</summary>
    public sealed class Booking
    {
        [Description("Guest name")]
        [StringLength(40, MinimumLength = 1)]
        public required string Name { get; init; }

        [Range(1, 12)]
        public int Guests { get; init; } = 2;

        public DateTimeOffset? When { get; init; }

        public Unit Preference { get; init; }

        public List<string> Notes { get; init; } = [];
    }
}
