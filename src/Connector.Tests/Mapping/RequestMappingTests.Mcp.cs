using System.Text;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Mapping;

public sealed partial class RequestMappingTests
{
    private const string ApprovalRequestItem = """{"id":"mcpr_1","type":"mcp_approval_request","server_label":"docs","name":"delete","arguments":"{\"id\":7}"}""";

    /// <summary>The approval request content exactly as the update mapper surfaces it from the model's item.</summary>
    private static ToolApprovalRequestContent ApprovalRequestFromServer()
    {
        var mapper = new ResponseUpdateMapper();
        mapper.Map(ServerEventParser.Parse("""{"type":"response.created","response":{"id":"resp_1","model":"m"}}"""u8));
        var update = mapper.Map(ServerEventParser.Parse(Encoding.UTF8.GetBytes(
            """{"type":"response.output_item.done","output_index":0,"item":""" + ApprovalRequestItem + "}")));
        return (ToolApprovalRequestContent)update!.Contents.Single();
    }

    [Fact]
    public void Approval_response_becomes_mcp_approval_response_not_an_empty_user_message()
    {
        var request = ApprovalRequestFromServer();

        MapToJson(new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)])).Should().Be(
            """[{"type":"mcp_approval_response","approval_request_id":"mcpr_1","approve":true}]""");
        MapToJson(new ChatMessage(ChatRole.Tool, [request.CreateResponse(approved: false, reason: "not today")])).Should().Be(
            """[{"type":"mcp_approval_response","approval_request_id":"mcpr_1","approve":false,"reason":"not today"}]""");
    }

    [Fact]
    public void Full_history_with_an_approval_resends_the_request_verbatim_then_the_answer()
    {
        var request = ApprovalRequestFromServer();

        var items = Map(
            new ChatMessage(ChatRole.User, "Delete 7"),
            new ChatMessage(ChatRole.Assistant, [request]),
            new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)]));

        items.Select(i => i.ToString()).Should().Equal(
            """{"type":"message","role":"user","content":[{"type":"input_text","text":"Delete 7"}]}""",
            ApprovalRequestItem,
            """{"type":"mcp_approval_response","approval_request_id":"mcpr_1","approve":true}""");
        items[1].IsModelOutput.Should().BeTrue("the server holds the model's request on a live chain");
        items[2].IsModelOutput.Should().BeFalse();
    }

    [Fact]
    public void Approval_request_and_mcp_call_without_raw_items_are_rebuilt_as_the_official_client_does()
    {
        var call = new McpServerToolCallContent("mcp_1", "search", "docs") { Arguments = new Dictionary<string, object?> { ["q"] = "ws" } };
        var approval = new ToolApprovalRequestContent("mcpr_2", new McpServerToolCallContent("mcpr_2", "delete", "docs"));
        var result = new McpServerToolResultContent("mcp_1") { Outputs = [new TextContent("found "), new TextContent("3")] };
        var failed = new McpServerToolResultContent("mcp_3") { Outputs = [new ErrorContent("server down")] };

        string json = MapToJson(new ChatMessage(ChatRole.Assistant,
            [approval, call, result, new McpServerToolCallContent("mcp_3", "search", "docs"), failed, new McpServerToolResultContent("unknown")]));

        ShouldBeJson(json, """
            [{"type":"mcp_approval_request","id":"mcpr_2","server_label":"docs","name":"delete","arguments":"{}"},
             {"type":"mcp_call","id":"mcp_1","server_label":"docs","name":"search","arguments":"{\"q\":\"ws\"}","output":"found 3"},
             {"type":"mcp_call","id":"mcp_3","server_label":"docs","name":"search","arguments":"{}",
              "error":{"type":"mcp_tool_execution_error","content":"server down"}}]
            """);
    }

    [Fact]
    public void Hosted_tool_contents_resend_their_raw_item_once()
    {
        var mapper = new ResponseUpdateMapper();
        mapper.Map(ServerEventParser.Parse("""{"type":"response.created","response":{"id":"resp_1","model":"m"}}"""u8));
        const string item = """{"id":"mcp_1","type":"mcp_call","server_label":"docs","name":"search","arguments":"{ \"q\" : 1 }","output":"ok"}""";
        var update = mapper.Map(ServerEventParser.Parse(Encoding.UTF8.GetBytes("""{"type":"response.output_item.done","output_index":0,"item":""" + item + "}")));

        // Call and result share the raw item: it goes out once, with the model's exact bytes (spacing included).
        MapToJson(new ChatMessage(ChatRole.Assistant, update!.Contents)).Should().Be("[" + item + "]");
    }
}
