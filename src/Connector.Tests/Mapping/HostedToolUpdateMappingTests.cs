using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Mapping;

/// <summary>
/// Hosted-tool, MCP and custom-tool items and their streaming partials → the MEAI contents the official client uses,
/// each carrying the raw item so a resend writes the model's bytes back unchanged.
/// </summary>
public class HostedToolUpdateMappingTests
{
    private const string Created = """{"type":"response.created","response":{"id":"resp_1","created_at":1700000000,"status":"in_progress","model":"gpt-test","output":[]}}""";

    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 9, 9];

    private static List<ChatResponseUpdate> MapAll(params string[] frames)
    {
        var mapper = new ResponseUpdateMapper(conversationIdIsResponseId: true);
        var updates = new List<ChatResponseUpdate>();
        foreach (var frame in frames)
        {
            var mapped = mapper.Map(ServerEventParser.Parse(Encoding.UTF8.GetBytes(frame)));
            while (mapper.TakeReleased() is { } earlier) updates.Add(earlier);
            if (mapped is not null) updates.Add(mapped);
        }

        updates.Should().HaveCount(frames.Length, "every event yields exactly one update");
        updates.Should().OnlyContain(u => u.Role == ChatRole.Assistant && u.MessageId == "resp_1" && u.ResponseId == "resp_1"
            && u.ConversationId == "resp_1" && u.ModelId == "gpt-test" && u.CreatedAt == DateTimeOffset.FromUnixTimeSeconds(1700000000));
        return updates;
    }

    private static string Done(string item) => """{"type":"response.output_item.done","output_index":0,"item":""" + item + "}";

    private static string Added(string item) => """{"type":"response.output_item.added","output_index":0,"item":""" + item + "}";

    private static InputItem RawItem(AIContent content) => content.RawRepresentation.Should().BeOfType<InputItem>().Subject;

    [Fact]
    public void Web_search_call_becomes_call_and_result_with_queries_and_sources()
    {
        const string item = """{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"q","queries":["oslo weather","oslo forecast"],"sources":[{"type":"url","url":"https://example.com/w"}]}}""";
        var updates = MapAll(Created,
            Added("""{"id":"ws_1","type":"web_search_call","status":"in_progress"}"""),
            """{"type":"response.web_search_call.in_progress","output_index":0,"item_id":"ws_1","sequence_number":2}""",
            """{"type":"response.web_search_call.searching","output_index":0,"item_id":"ws_1","sequence_number":3}""",
            """{"type":"response.web_search_call.completed","output_index":0,"item_id":"ws_1","sequence_number":4}""",
            Done(item));

        var progress = updates[2].Contents.Should().ContainSingle().Which.Should().BeOfType<WebSearchToolCallContent>().Subject;
        progress.CallId.Should().Be("ws_1");
        updates[3].Contents.Should().BeEmpty();
        ((JsonElement)updates[3].RawRepresentation!).GetProperty("type").GetString().Should().Be("response.web_search_call.searching");

        var call = updates[^1].Contents[0].Should().BeOfType<WebSearchToolCallContent>().Subject;
        call.Queries.Should().Equal("oslo weather", "oslo forecast");
        var result = updates[^1].Contents[1].Should().BeOfType<WebSearchToolResultContent>().Subject;
        result.CallId.Should().Be("ws_1");
        result.Outputs!.OfType<UriContent>().Single().Uri.Should().Be(new Uri("https://example.com/w"));
        RawItem(result).ToString().Should().Be(item);
        RawItem(result).Kind.Should().Be(InputItemKind.ModelItem);

        // Merged, the progress and final call contents fold into one, as MEAI coalesces them.
        var merged = updates.ToChatResponse().Messages.Single().Contents;
        merged.OfType<WebSearchToolCallContent>().Should().ContainSingle().Which.Queries.Should().HaveCount(2);
    }

    [Fact]
    public void Web_search_with_a_single_query_and_no_sources()
    {
        var updates = MapAll(Created, Done("""{"id":"ws_2","type":"web_search_call","status":"completed","action":{"type":"search","query":"only one"}}"""));

        updates[^1].Contents.OfType<WebSearchToolCallContent>().Single().Queries.Should().Equal("only one");
        updates[^1].Contents.OfType<WebSearchToolResultContent>().Single().Outputs.Should().BeNull();
    }

    [Fact]
    public void File_search_call_becomes_generic_call_and_result_as_in_the_official_client()
    {
        const string item = """{"id":"fs_1","type":"file_search_call","status":"completed","queries":["q"],"results":[{"file_id":"file_1","text":"t"}]}""";
        var updates = MapAll(Created, Done(item));

        var contents = updates[^1].Contents;
        contents.Should().HaveCount(2);
        contents[0].Should().BeOfType<ToolCallContent>().Which.CallId.Should().Be("fs_1");
        contents[1].Should().BeOfType<ToolResultContent>().Which.CallId.Should().Be("fs_1");
        RawItem(contents[1]).ToString().Should().Be(item);
    }

    [Fact]
    public void Code_interpreter_streams_code_then_surfaces_logs_images_and_files()
    {
        const string item = """{"id":"ci_1","type":"code_interpreter_call","status":"completed","container_id":"cntr_1","code":"print(6*7)","outputs":[{"type":"logs","logs":"42\n"},{"type":"image","url":"https://files.example/plot.png"},{"type":"files","files":[{"file_id":"cfile_1","mime_type":"text/csv"}]}]}""";
        var updates = MapAll(Created,
            Added("""{"id":"ci_1","type":"code_interpreter_call","status":"in_progress","container_id":"cntr_1","code":"","outputs":null}"""),
            """{"type":"response.code_interpreter_call.in_progress","output_index":0,"item_id":"ci_1"}""",
            """{"type":"response.code_interpreter_call_code.delta","output_index":0,"item_id":"ci_1","delta":"print("}""",
            """{"type":"response.code_interpreter_call_code.delta","output_index":0,"item_id":"ci_1","delta":"6*7)"}""",
            """{"type":"response.code_interpreter_call_code.done","output_index":0,"item_id":"ci_1","code":"print(6*7)"}""",
            """{"type":"response.code_interpreter_call.interpreting","output_index":0,"item_id":"ci_1"}""",
            Done(item));

        updates[3].Contents.Single().Should().BeOfType<CodeInterpreterToolCallContent>()
            .Which.Inputs!.Single().Should().BeOfType<DataContent>().Which.MediaType.Should().Be("text/x-python");

        // The code was streamed: the done item adds only the result.
        var result = updates[^1].Contents.Should().ContainSingle().Which.Should().BeOfType<CodeInterpreterToolResultContent>().Subject;
        result.CallId.Should().Be("ci_1");
        result.Outputs![0].Should().BeOfType<TextContent>().Which.Text.Should().Be("42\n");
        result.Outputs[1].Should().BeOfType<UriContent>().Which.Uri.Should().Be(new Uri("https://files.example/plot.png"));
        result.Outputs[2].Should().BeOfType<HostedFileContent>().Which.FileId.Should().Be("cfile_1");
        RawItem(result).ToString().Should().Be(item);

        var call = updates.ToChatResponse().Messages.Single().Contents.OfType<CodeInterpreterToolCallContent>().Should().ContainSingle().Subject;
        Encoding.UTF8.GetString(call.Inputs!.OfType<DataContent>().Single().Data.Span).Should().Be("print(6*7)");
    }

    [Fact]
    public void Code_interpreter_without_code_deltas_surfaces_the_code_at_done()
    {
        var updates = MapAll(Created, Done("""{"id":"ci_2","type":"code_interpreter_call","status":"completed","container_id":"c","code":"1+1","outputs":null}"""));

        var contents = updates[^1].Contents;
        Encoding.UTF8.GetString(contents[0].Should().BeOfType<CodeInterpreterToolCallContent>().Subject.Inputs!.OfType<DataContent>().Single().Data.Span)
            .Should().Be("1+1");
        contents[1].Should().BeOfType<CodeInterpreterToolResultContent>().Which.Outputs.Should().BeNull();
    }

    [Fact]
    public void Image_generation_streams_a_call_and_partial_images_then_the_final_image_replaces_them()
    {
        string partial = Convert.ToBase64String(Jpeg);
        string final = Convert.ToBase64String(Png);
        string item = """{"id":"ig_1","type":"image_generation_call","status":"completed","result":"FINAL"}""".Replace("FINAL", final);
        var updates = MapAll(Created,
            Added("""{"id":"ig_1","type":"image_generation_call","status":"in_progress","result":null}"""),
            """{"type":"response.image_generation_call.in_progress","output_index":0,"item_id":"ig_1"}""",
            """{"type":"response.image_generation_call.generating","output_index":0,"item_id":"ig_1"}""",
            """{"type":"response.image_generation_call.partial_image","output_index":0,"item_id":"ig_1","partial_image_index":0,"partial_image_b64":"B64"}""".Replace("B64", partial),
            Done(item));

        updates[2].Contents.Single().Should().BeOfType<ImageGenerationToolCallContent>().Which.CallId.Should().Be("ig_1");
        var preview = updates[4].Contents.Single().Should().BeOfType<ImageGenerationToolResultContent>().Subject.Outputs!.Single().Should().BeOfType<DataContent>().Subject;
        preview.Data.ToArray().Should().Equal(Jpeg);
        preview.MediaType.Should().Be("image/jpeg");
        preview.AdditionalProperties!["PartialImageIndex"].Should().Be(0);

        var result = updates[^1].Contents.Should().ContainSingle("the call was already surfaced").Which.Should().BeOfType<ImageGenerationToolResultContent>().Subject;
        var image = result.Outputs!.Single().Should().BeOfType<DataContent>().Subject;
        image.Data.ToArray().Should().Equal(Png);
        image.MediaType.Should().Be("image/png");
        RawItem(result).ToString().Should().Be(item);

        var merged = updates.ToChatResponse().Messages.Single().Contents;
        merged.OfType<ImageGenerationToolResultContent>().Should().ContainSingle().Which.Should().BeSameAs(result);
    }

    [Fact]
    public void Mcp_call_becomes_call_and_result_sharing_one_raw_item()
    {
        const string item = """{"id":"mcp_1","type":"mcp_call","status":"completed","server_label":"docs","name":"search","arguments":"{\"q\":\"sockets\"}","output":"found 3","error":null,"approval_request_id":null}""";
        var updates = MapAll(Created,
            Added("""{"id":"mcp_1","type":"mcp_call","status":"in_progress","server_label":"docs","name":"search","arguments":""}"""),
            """{"type":"response.mcp_call_arguments.delta","output_index":0,"item_id":"mcp_1","delta":"{\"q\":"}""",
            """{"type":"response.mcp_call.completed","output_index":0,"item_id":"mcp_1"}""",
            Done(item));

        var call = updates[^1].Contents[0].Should().BeOfType<McpServerToolCallContent>().Subject;
        call.CallId.Should().Be("mcp_1");
        call.Name.Should().Be("search");
        call.ServerName.Should().Be("docs");
        call.Arguments!["q"]!.ToString().Should().Be("sockets");
        var result = updates[^1].Contents[1].Should().BeOfType<McpServerToolResultContent>().Subject;
        result.Outputs!.Single().Should().BeOfType<TextContent>().Which.Text.Should().Be("found 3");
        RawItem(result).Should().BeSameAs(RawItem(call));
        RawItem(result).ToString().Should().Be(item);
    }

    [Fact]
    public void Mcp_call_error_becomes_error_content()
    {
        var updates = MapAll(Created, Done("""{"id":"mcp_2","type":"mcp_call","server_label":"docs","name":"search","arguments":"{}","output":null,"error":{"type":"mcp_protocol_error","code":-32000,"message":"server down"}}"""));

        var error = updates[^1].Contents.OfType<McpServerToolResultContent>().Single().Outputs!.Single().Should().BeOfType<ErrorContent>().Subject;
        error.Message.Should().Be("server down");
        error.ErrorCode.Should().Be("mcp_protocol_error");
    }

    [Fact]
    public void Mcp_approval_request_becomes_a_tool_approval_request()
    {
        const string item = """{"id":"mcpr_1","type":"mcp_approval_request","server_label":"docs","name":"delete","arguments":"{\"id\":7}"}""";
        var updates = MapAll(Created, Done(item), """{"type":"response.completed","response":{"id":"resp_1","created_at":1700000000,"model":"gpt-test","status":"completed","output":[ITEM]}}""".Replace("ITEM", item));

        var request = updates[1].Contents.Should().ContainSingle().Which.Should().BeOfType<ToolApprovalRequestContent>().Subject;
        request.RequestId.Should().Be("mcpr_1");
        var call = request.ToolCall.Should().BeOfType<McpServerToolCallContent>().Subject;
        call.Name.Should().Be("delete");
        call.ServerName.Should().Be("docs");
        call.Arguments!["id"]!.ToString().Should().Be("7");
        RawItem(request).ToString().Should().Be(item);
        updates[^1].FinishReason.Should().Be(ChatFinishReason.Stop);
    }

    [Fact]
    public void Custom_tool_call_becomes_a_tool_call_with_its_call_id()
    {
        const string item = """{"id":"ctc_1","type":"custom_tool_call","status":"completed","call_id":"call_9","name":"grammar","input":"SELECT 1"}""";
        var updates = MapAll(Created,
            Added("""{"id":"ctc_1","type":"custom_tool_call","status":"in_progress","call_id":"call_9","name":"grammar","input":""}"""),
            """{"type":"response.custom_tool_call_input.delta","output_index":0,"item_id":"ctc_1","delta":"SELECT"}""",
            Done(item));

        var call = updates[^1].Contents.Should().ContainSingle().Which.Should().BeOfType<ToolCallContent>().Subject;
        call.CallId.Should().Be("call_9");
        RawItem(call).ToString().Should().Be(item);
        ((JsonElement)updates[2].RawRepresentation!).GetProperty("delta").GetString().Should().Be("SELECT");
    }

    [Fact]
    public void Mcp_list_tools_and_unknown_items_stay_raw_content()
    {
        const string item = """{"id":"mcpl_1","type":"mcp_list_tools","server_label":"docs","tools":[{"name":"search","input_schema":{}}]}""";
        var updates = MapAll(Created, Done(item), Done("""{"id":"x_1","type":"future_item"}"""));

        var content = updates[1].Contents.Should().ContainSingle().Subject;
        content.GetType().Should().Be<AIContent>();
        RawItem(content).ToString().Should().Be(item);
        updates[2].Contents.Single().GetType().Should().Be<AIContent>();
    }

    [Fact]
    public void Unknown_and_lifecycle_events_still_yield_an_update_carrying_the_event()
    {
        var updates = MapAll(Created,
            """{"type":"response.in_progress","response":{"id":"resp_1","status":"in_progress"}}""",
            """{"type":"rate_limits.updated","rate_limits":[]}""",
            Added("""{"id":"fc_1","type":"function_call","call_id":"c","name":"f","arguments":""}"""),
            """{"type":"response.function_call_arguments.delta","output_index":0,"item_id":"fc_1","delta":"{}"}""",
            """{"type":"response.something_new","output_index":0,"item_id":"fc_1"}""");

        updates.Should().OnlyContain(u => u.Contents.Count == 0 && u.RawRepresentation is JsonElement);
        updates.Select(u => ((JsonElement)u.RawRepresentation!).GetProperty("type").GetString()).Should().Equal(
            "response.created", "response.in_progress", "rate_limits.updated", "response.output_item.added",
            "response.function_call_arguments.delta", "response.something_new");
    }

    [Fact]
    public void Text_deltas_stay_one_update_each_without_a_copy_of_the_frame()
    {
        var mapper = new ResponseUpdateMapper();
        mapper.Map(ServerEventParser.Parse(Encoding.UTF8.GetBytes(Created)));
        mapper.Map(ServerEventParser.Parse("""{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_1","type":"message","role":"assistant","content":[]}}"""u8));

        var delta = mapper.Map(ServerEventParser.Parse("""{"type":"response.output_text.delta","output_index":0,"item_id":"msg_1","delta":"a"}"""u8));

        delta!.Contents.Should().ContainSingle().Which.Should().BeOfType<TextContent>();
        delta.RawRepresentation.Should().BeNull();
        delta.MessageId.Should().Be("msg_1");
    }
}
