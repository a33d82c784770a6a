using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Mapping;

public sealed partial class RequestMappingTests
{
    [Fact]
    public void System_and_developer_messages_become_input_text_messages()
    {
        string json = MapToJson(
            new ChatMessage(ChatRole.System, "Be brief."),
            new ChatMessage(new ChatRole("developer"), [new TextContent("Use "), new TextContent("tools.")]),
            new ChatMessage(ChatRole.System, "   "));

        ShouldBeJson(json, """
            [
              {"type":"message","role":"system","content":[{"type":"input_text","text":"Be brief."}]},
              {"type":"message","role":"developer","content":[{"type":"input_text","text":"Use tools."}]}
            ]
            """);
        ShouldBeCompact(json);
    }

    [Fact]
    public void Items_carry_kind_role_and_ids()
    {
        List<InputItem> items = Map(
            new ChatMessage(ChatRole.User, "hi"),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "f")]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", "ok")]),
            new ChatMessage(ChatRole.Assistant, [Reasoning("t", id: "rs_1")]));

        items.Select(static i => (i.Kind, i.Role, i.CallId, i.Id)).Should().Equal(
            (InputItemKind.Message, "user", null, null),
            (InputItemKind.FunctionCall, null, "call_1", null),
            (InputItemKind.FunctionCallOutput, null, "call_1", null),
            (InputItemKind.Reasoning, null, null, "rs_1"));
    }

    [Fact]
    public void User_text_images_and_files_become_input_parts_in_order()
    {
        byte[] png = [1, 2, 3];
        byte[] pdf = [4, 5];
        string json = MapToJson(new ChatMessage(ChatRole.User,
        [
            new TextContent("look"),
            new DataContent(png, "image/png"),
            new UriContent("https://example.com/cat.jpg", "image/jpeg") { AdditionalProperties = new() { ["detail"] = "low" } },
            new DataContent(pdf, "application/pdf"),
            new DataContent(pdf, "application/pdf") { Name = "report.pdf" },
            new UriContent("https://example.com/doc.pdf", "application/pdf"),
            new HostedFileContent("file_img") { MediaType = "image/png", AdditionalProperties = new() { ["detail"] = Json("\"high\"") } },
            new HostedFileContent("file_doc"),
            new DataContent("hello"u8.ToArray(), "text/plain"),
        ]));

        ShouldBeJson(json, """
            [{"type":"message","role":"user","content":[
              {"type":"input_text","text":"look"},
              {"type":"input_image","image_url":"data:image/png;base64,AQID"},
              {"type":"input_image","image_url":"https://example.com/cat.jpg","detail":"low"},
              {"type":"input_file","file_data":"data:application/pdf;base64,BAU=","filename":"file.pdf"},
              {"type":"input_file","file_data":"data:application/pdf;base64,BAU=","filename":"report.pdf"},
              {"type":"input_file","file_url":"https://example.com/doc.pdf"},
              {"type":"input_image","file_id":"file_img","detail":"high"},
              {"type":"input_file","file_id":"file_doc"},
              {"type":"input_file","file_data":"data:text/plain;base64,aGVsbG8=","filename":"file.txt"}
            ]}]
            """);
    }

    [Fact]
    public void User_message_without_content_becomes_empty_input_text()
    {
        ShouldBeJson(MapToJson(new ChatMessage(ChatRole.User, (string?)null)), """
            [{"type":"message","role":"user","content":[{"type":"input_text","text":""}]}]
            """);
        ShouldBeJson(MapToJson(new ChatMessage(ChatRole.User, [new UsageContent(new UsageDetails())])), """
            [{"type":"message","role":"user","content":[{"type":"input_text","text":""}]}]
            """);
    }

    [Fact]
    public void Unknown_roles_are_sent_as_user()
    {
        ShouldBeJson(MapToJson(new ChatMessage(new ChatRole("narrator"), "once upon a time")), """
            [{"type":"message","role":"user","content":[{"type":"input_text","text":"once upon a time"}]}]
            """);
    }

    [Theory]
    [InlineData("audio/wav")]
    [InlineData("audio/mpeg")]
    public void Audio_throws_instead_of_being_dropped(string mediaType)
    {
        Action data = () => Map(new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1 }, mediaType)]));
        Action uri = () => Map(new ChatMessage(ChatRole.User, [new UriContent("https://example.com/a", mediaType)]));

        data.Should().Throw<NotSupportedException>().WithMessage("*Audio*not supported*");
        uri.Should().Throw<NotSupportedException>().WithMessage("*Audio*not supported*");
    }

    [Fact]
    public void Media_in_a_system_message_throws()
    {
        Action act = () => Map(new ChatMessage(ChatRole.System, [new DataContent(new byte[] { 1 }, "image/png")]));
        act.Should().Throw<NotSupportedException>().WithMessage("*system message*");
    }

    [Fact]
    public void Consecutive_assistant_text_is_one_message_and_other_content_splits_it()
    {
        string json = MapToJson(new ChatMessage(ChatRole.Assistant,
        [
            new TextContent("Hel"),
            new TextContent("lo"),
            new FunctionCallContent("call_1", "lookup", new Dictionary<string, object?> { ["q"] = "x" }),
            new TextContent("Done."),
        ]));

        ShouldBeJson(json, """
            [
              {"type":"message","role":"assistant","content":"Hello"},
              {"type":"function_call","call_id":"call_1","name":"lookup","arguments":"{\"q\":\"x\"}"},
              {"type":"message","role":"assistant","content":"Done."}
            ]
            """);
    }

    [Fact]
    public void Assistant_refusal_is_kept_and_other_errors_and_usage_are_ignored()
    {
        string json = MapToJson(new ChatMessage(ChatRole.Assistant,
        [
            new TextContent("I can't"),
            new ErrorContent("I won't help with that.") { ErrorCode = "Refusal" },
            new ErrorContent("boom") { ErrorCode = "server_error" },
            new UsageContent(new UsageDetails { InputTokenCount = 3 }),
        ]));

        ShouldBeJson(json, """
            [{"type":"message","role":"assistant","content":[
              {"type":"output_text","text":"I can't","annotations":[]},
              {"type":"refusal","refusal":"I won't help with that."}]}]
            """);
    }

    [Fact]
    public void Empty_assistant_text_and_assistant_media_produce_nothing()
    {
        Map(new ChatMessage(ChatRole.Assistant, [new TextContent(""), new DataContent(new byte[] { 1 }, "image/png")]))
            .Should().BeEmpty();
    }

    [Fact]
    public void Function_call_arguments_are_compact_json_text()
    {
        Dictionary<string, object?> arguments = new()
        {
            ["city"] = "Zürich",
            ["days"] = 3,
            ["filter"] = Json("""
                {
                  "tags": [ "a", "b" ],
                  "deep": { "x": null }
                }
                """),
        };

        List<InputItem> items = Map(
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "weather", arguments)]),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_2", "now")]));

        items[0].ToString().Should().Be(
            """{"type":"function_call","call_id":"call_1","name":"weather","arguments":"{\"city\":\"Zürich\",\"days\":3,\"filter\":{\"tags\":[\"a\",\"b\"],\"deep\":{\"x\":null}}}"}""");
        items[1].ToString().Should().Be("""{"type":"function_call","call_id":"call_2","name":"now","arguments":"{}"}""");
    }

    [Fact]
    public void Tool_messages_map_function_results_and_ignore_stray_text()
    {
        string json = MapToJson(new ChatMessage(ChatRole.Tool,
        [
            new FunctionResultContent("call_1", "sunny"),
            new TextContent("ignored"),
            new FunctionResultContent("call_2", null),
        ]));

        ShouldBeJson(json, """
            [
              {"type":"function_call_output","call_id":"call_1","output":"sunny"},
              {"type":"function_call_output","call_id":"call_2","output":""}
            ]
            """);
    }

    [Fact]
    public void A_full_tool_loop_history_maps_in_order()
    {
        string json = MapToJson(
            new ChatMessage(ChatRole.System, "sys"),
            new ChatMessage(ChatRole.User, "weather?"),
            new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", new { temp = 5 })]),
            new ChatMessage(ChatRole.Assistant, "5 degrees."),
            new ChatMessage(ChatRole.User, "thanks"));

        ShouldBeJson(json, """
            [
              {"type":"message","role":"system","content":[{"type":"input_text","text":"sys"}]},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"weather?"}]},
              {"type":"function_call","call_id":"c1","name":"weather","arguments":"{\"city\":\"Oslo\"}"},
              {"type":"function_call_output","call_id":"c1","output":"{\"temp\":5}"},
              {"type":"message","role":"assistant","content":"5 degrees."},
              {"type":"message","role":"user","content":[{"type":"input_text","text":"thanks"}]}
            ]
            """);
    }

    [Fact]
    public void Messages_are_not_mutated()
    {
        ChatMessage user = new(ChatRole.User, [new TextContent("a"), new DataContent(new byte[] { 1 }, "image/png")]);
        ChatMessage assistant = new(ChatRole.Assistant, [Reasoning("r", id: "rs_1"), new TextContent("b")]);
        string before = JsonSerializer.Serialize(new[] { user, assistant }, AIJsonUtilities.DefaultOptions);

        _ = Map(user, assistant);

        JsonSerializer.Serialize(new[] { user, assistant }, AIJsonUtilities.DefaultOptions).Should().Be(before);
    }
}
