using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Tests.Mapping;

public sealed partial class RequestMappingTests
{
    private static string Result(object? result, Exception? exception = null) =>
        Map(new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", result) { Exception = exception }]))
            .Single().ToString();

    [Fact]
    public void String_result_is_sent_as_is() =>
        Result("{ \"already\": \"json\" }").Should().Be(
            """{"type":"function_call_output","call_id":"call_1","output":"{ \"already\": \"json\" }"}""");

    [Fact]
    public void Null_result_is_empty_string() =>
        Result(null).Should().Be("""{"type":"function_call_output","call_id":"call_1","output":""}""");

    [Fact]
    public void Failed_call_without_result_reports_the_error() =>
        Result(null, new InvalidOperationException("Database offline.")).Should().Be(
            """{"type":"function_call_output","call_id":"call_1","output":"Error: Database offline."}""");

    [Fact]
    public void Json_element_result_is_compact_text_and_json_string_is_its_value()
    {
        Result(Json("""
            {
              "temp": 5,
              "tags": [ "cold" ]
            }
            """)).Should().Be("""{"type":"function_call_output","call_id":"call_1","output":"{\"temp\":5,\"tags\":[\"cold\"]}"}""");

        Result(Json("\"plain text\"")).Should().Be("""{"type":"function_call_output","call_id":"call_1","output":"plain text"}""");
        Result(Json("42")).Should().Be("""{"type":"function_call_output","call_id":"call_1","output":"42"}""");
    }

    [Fact]
    public void Object_result_is_compact_json_text()
    {
        Result(new Dictionary<string, object?> { ["city"] = "Zürich", ["temps"] = new[] { 1, 2 }, ["note"] = null })
            .Should().Be("""{"type":"function_call_output","call_id":"call_1","output":"{\"city\":\"Zürich\",\"temps\":[1,2],\"note\":null}"}""");
        Result(42).Should().Be("""{"type":"function_call_output","call_id":"call_1","output":"42"}""");
    }

    [Fact]
    public void AIContent_results_become_an_output_array_of_parts()
    {
        ShouldBeJson(Result(new AIContent[]
        {
            new TextContent("Here is the chart."),
            new DataContent(new byte[] { 1, 2, 3 }, "image/png"),
            new UriContent("https://example.com/i.png", "image/png"),
            new DataContent(new byte[] { 4, 5 }, "application/pdf") { Name = "r.pdf" },
            new UriContent("https://example.com/r.pdf", "application/pdf"),
            new HostedFileContent("file_1"),
        }), """
            {"type":"function_call_output","call_id":"call_1","output":[
              {"type":"input_text","text":"Here is the chart."},
              {"type":"input_image","image_url":"data:image/png;base64,AQID"},
              {"type":"input_image","image_url":"https://example.com/i.png"},
              {"type":"input_file","file_data":"data:application/pdf;base64,BAU=","filename":"r.pdf"},
              {"type":"input_file","file_url":"https://example.com/r.pdf"},
              {"type":"input_file","file_id":"file_1"}
            ]}
            """);

        ShouldBeJson(Result(new TextContent("single")), """
            {"type":"function_call_output","call_id":"call_1","output":[{"type":"input_text","text":"single"}]}
            """);
    }

    [Fact]
    public void Other_content_in_a_result_goes_to_the_model_as_json_text()
    {
        string json = Result(new List<AIContent> { new ErrorContent("not found") { ErrorCode = "404" } });

        json.Should().StartWith("""{"type":"function_call_output","call_id":"call_1","output":[{"type":"input_text","text":"{""");
        json.Should().Contain("not found").And.Contain("404");
    }

    [Fact]
    public void Empty_content_list_result_is_empty_string() =>
        Result(new List<AIContent>()).Should().Be("""{"type":"function_call_output","call_id":"call_1","output":""}""");
}
