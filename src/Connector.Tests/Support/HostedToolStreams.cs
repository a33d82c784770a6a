namespace ResponsesWebSocket.Tests.Support;

/// <summary>
/// Hosted-tool, MCP and custom-tool responses in the service's event shapes, as raw frames for the local server: each
/// finished item (what the model's bytes must stay) and the stream that delivers it.
/// </summary>
internal static class HostedToolStreams
{
    public const string WebSearchItem = """{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"oslo weather","sources":[{"type":"url","url":"https://example.com/oslo"}]}}""";
    public const string FileSearchItem = """{"id":"fs_1","type":"file_search_call","status":"completed","queries":["refund policy"],"results":null}""";
    public const string CodeInterpreterItem = """{"id":"ci_1","type":"code_interpreter_call","status":"completed","container_id":"cntr_1","code":"print(6*7)","outputs":[{"type":"logs","logs":"42\n"}]}""";
    public const string McpListToolsItem = """{"id":"mcpl_1","type":"mcp_list_tools","server_label":"docs","tools":[{"name":"search","input_schema":{"type":"object"}}]}""";
    public const string McpCallItem = """{"id":"mcp_1","type":"mcp_call","status":"completed","server_label":"docs","name":"search","arguments":"{\"q\":\"sockets\"}","output":"3 pages","error":null,"approval_request_id":null}""";
    public const string McpApprovalRequestItem = """{"id":"mcpr_1","type":"mcp_approval_request","server_label":"docs","name":"delete","arguments":"{\"id\":7}"}""";
    public const string CustomToolCallItem = """{"id":"ctc_1","type":"custom_tool_call","status":"completed","call_id":"call_sql","name":"sql","input":"SELECT 1"}""";

    /// <summary>The partial image streamed before the final one.</summary>
    public static readonly byte[] ImagePreview = [0xFF, 0xD8, 0xFF, 0xE0, 1];

    /// <summary>The final image.</summary>
    public static readonly byte[] Image = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 7];

    public static readonly string ImageGenerationItem = $$"""{"id":"ig_1","type":"image_generation_call","status":"completed","result":"{{Convert.ToBase64String(Image)}}"}""";

    public static IReadOnlyList<string> WebSearch() => new RawStream("resp_ws")
        .Item("ws_1", """{"id":"ws_1","type":"web_search_call","status":"in_progress"}""", WebSearchItem,
            ("response.web_search_call.in_progress", ""), ("response.web_search_call.searching", ""), ("response.web_search_call.completed", ""))
        .Message("msg_ws", "Sunny.")
        .Completed();

    public static IReadOnlyList<string> FileSearch() => new RawStream("resp_fs")
        .Item("fs_1", """{"id":"fs_1","type":"file_search_call","status":"in_progress","queries":[]}""", FileSearchItem,
            ("response.file_search_call.in_progress", ""), ("response.file_search_call.searching", ""), ("response.file_search_call.completed", ""))
        .Completed();

    public static IReadOnlyList<string> CodeInterpreter() => new RawStream("resp_ci")
        .Item("ci_1", """{"id":"ci_1","type":"code_interpreter_call","status":"in_progress","container_id":"cntr_1","code":"","outputs":null}""", CodeInterpreterItem,
            ("response.code_interpreter_call.in_progress", ""),
            ("response.code_interpreter_call_code.delta", "\"delta\":\"print(\""),
            ("response.code_interpreter_call_code.delta", "\"delta\":\"6*7)\""),
            ("response.code_interpreter_call_code.done", "\"code\":\"print(6*7)\""),
            ("response.code_interpreter_call.interpreting", ""),
            ("response.code_interpreter_call.completed", ""))
        .Completed();

    public static IReadOnlyList<string> ImageGeneration() => new RawStream("resp_ig")
        .Item("ig_1", """{"id":"ig_1","type":"image_generation_call","status":"in_progress","result":null}""", ImageGenerationItem,
            ("response.image_generation_call.in_progress", ""),
            ("response.image_generation_call.generating", ""),
            ("response.image_generation_call.partial_image", $"\"partial_image_index\":0,\"partial_image_b64\":\"{Convert.ToBase64String(ImagePreview)}\""),
            ("response.image_generation_call.completed", ""))
        .Completed();

    public static IReadOnlyList<string> McpListToolsAndCall() => new RawStream("resp_mcp")
        .Item("mcpl_1", """{"id":"mcpl_1","type":"mcp_list_tools","server_label":"docs","tools":[]}""", McpListToolsItem,
            ("response.mcp_list_tools.in_progress", ""), ("response.mcp_list_tools.completed", ""))
        .Item("mcp_1", """{"id":"mcp_1","type":"mcp_call","status":"in_progress","server_label":"docs","name":"search","arguments":""}""", McpCallItem,
            ("response.mcp_call.in_progress", ""),
            ("response.mcp_call_arguments.delta", "\"delta\":\"{\\\"q\\\":\\\"sockets\\\"}\""),
            ("response.mcp_call_arguments.done", "\"arguments\":\"{\\\"q\\\":\\\"sockets\\\"}\""),
            ("response.mcp_call.completed", ""))
        .Completed();

    public static IReadOnlyList<string> McpApprovalRequest() => new RawStream("resp_apr")
        .Item("mcpr_1", McpApprovalRequestItem, McpApprovalRequestItem)
        .Completed();

    public static IReadOnlyList<string> CustomToolCall() => new RawStream("resp_ctc")
        .Item("ctc_1", """{"id":"ctc_1","type":"custom_tool_call","status":"in_progress","call_id":"call_sql","name":"sql","input":""}""", CustomToolCallItem,
            ("response.custom_tool_call_input.delta", "\"delta\":\"SELECT 1\""),
            ("response.custom_tool_call_input.done", "\"input\":\"SELECT 1\""))
        .Completed();
}
