using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Mapping;

/// <summary>
/// Request-side mapping: ChatMessage → input items, ChatOptions → create request, tools, and the frame writer.
/// Expected JSON is hand-written and compared after parsing, so key order and whitespace in the expectation don't matter;
/// tests that care about bytes (compactness, key order) compare strings.
/// </summary>
public sealed partial class RequestMappingTests
{
    private static readonly ResponsesWebSocketChatClientOptions ClientOptions = new() { Model = "gpt-test" };

    private static List<InputItem> Map(params ChatMessage[] messages)
    {
        List<InputItem> items = [];
        ChatMessageMapper.AppendInputItems(messages, items);
        return items;
    }

    private static string MapToJson(params ChatMessage[] messages) =>
        "[" + string.Join(",", Map(messages).Select(static i => i.ToString())) + "]";

    private static void ShouldBeJson(string actual, string expected)
    {
        JsonNode? actualNode = JsonNode.Parse(actual);
        JsonNode? expectedNode = JsonNode.Parse(expected);
        JsonNode.DeepEquals(actualNode, expectedNode).Should().BeTrue(
            "expected {0}{1}but got {2}",
            expectedNode?.ToJsonString(),
            Environment.NewLine,
            actualNode?.ToJsonString());
    }

    private static void ShouldBeCompact(string json) =>
        json.Should().NotContain("\n").And.NotContain(": ").And.NotContain(", \"");

    private static string Utf8(byte[]? bytes) => bytes is null ? "null" : System.Text.Encoding.UTF8.GetString(bytes);

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static CreateRequest Create(ChatOptions? options, ResponsesWebSocketChatClientOptions? clientOptions = null) =>
        ChatOptionsMapper.CreateRequest(options, clientOptions ?? ClientOptions);

    private static JsonNode Frame(CreateRequest request, RequestTransport transport = RequestTransport.WebSocket) =>
        JsonNode.Parse(CreateRequestWriter.WriteToArray(request, transport))!;

    /// <summary>A function declaration with a fixed schema and settable additional properties.</summary>
    private sealed class TestFunction(string name, string? description, string schema, IReadOnlyDictionary<string, object?>? properties = null)
        : AIFunctionDeclaration
    {
        private readonly JsonElement _schema = Json(schema);

        public override string Name => name;

        public override string Description => description ?? string.Empty;

        public override JsonElement JsonSchema => _schema;

        public override IReadOnlyDictionary<string, object?> AdditionalProperties => properties ?? new Dictionary<string, object?>();
    }

    /// <summary>An AITool kind the Responses API has no shape for.</summary>
    private sealed class UnknownTool : AITool
    {
        public override string Name => "unknown";
    }
}
