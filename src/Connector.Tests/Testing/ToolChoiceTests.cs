using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>The default scripted model honours <c>tool_choice</c> as the spec defines it (checked over plain HTTP).</summary>
public sealed class ToolChoiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private const string ThreeTools = """
        [{"type":"function","name":"list_orders","parameters":{"type":"object","properties":{"limit":{"type":"integer"}}}},
         {"type":"web_search"},
         {"type":"function","name":"get_supplier_eta","parameters":{"type":"object","properties":{"supplier":{"type":"string"}},"required":["supplier"]}},
         {"type":"function","name":"cancel_order","parameters":{"type":"object","properties":{"id":{"type":"string"}}}}]
        """;

    [Fact]
    public async Task A_forced_function_is_called_even_when_it_is_not_the_first_tool()
    {
        await using var server = await LocalResponsesServer.StartAsync();

        var (status, body) = await PostAsync(server, $$"""
            {"store":false,"input":"when does it arrive?","tools":{{ThreeTools}},"tool_choice":{"type":"function","name":"get_supplier_eta"} }
            """);

        status.Should().Be(HttpStatusCode.OK);
        var call = body.GetProperty("output").EnumerateArray().Should().ContainSingle().Subject;
        call.GetProperty("type").GetString().Should().Be("function_call");
        call.GetProperty("name").GetString().Should().Be("get_supplier_eta");
        call.GetProperty("arguments").GetString().Should().Be("""{"supplier":"sample"}""");
        body.GetProperty("tool_choice").GetProperty("name").GetString().Should().Be("get_supplier_eta");
    }

    [Fact]
    public async Task Auto_calls_the_first_function_once_then_reports_the_results()
    {
        await using var server = await LocalResponsesServer.StartAsync();

        var (_, first) = await PostAsync(server, $$"""{"input":"go","tools":{{ThreeTools}},"tool_choice":"auto"}""");
        var call = first.GetProperty("output")[0];
        call.GetProperty("name").GetString().Should().Be("list_orders");

        var (_, second) = await PostAsync(server, $$"""
            {"previous_response_id":"{{first.GetProperty("id").GetString()}}","tools":{{ThreeTools}},"tool_choice":"auto",
             "input":[{"type":"function_call_output","call_id":"{{call.GetProperty("call_id").GetString()}}","output":"3 orders"}]}
            """);
        OnlyText(second).Should().Be("Tool results: 3 orders");
    }

    [Fact]
    public async Task Required_calls_a_tool_on_every_response_even_after_tool_results()
    {
        await using var server = await LocalResponsesServer.StartAsync();

        var (_, first) = await PostAsync(server, $$"""{"input":"go","tools":{{ThreeTools}},"tool_choice":"required"}""");
        var call = first.GetProperty("output")[0];
        call.GetProperty("name").GetString().Should().Be("list_orders");

        // Unlike auto, required does not let the model answer in text: the service forces a call on every turn.
        var (_, second) = await PostAsync(server, $$"""
            {"previous_response_id":"{{first.GetProperty("id").GetString()}}","tools":{{ThreeTools}},"tool_choice":"required",
             "input":[{"type":"function_call_output","call_id":"{{call.GetProperty("call_id").GetString()}}","output":"3 orders"}]}
            """);
        second.GetProperty("output").EnumerateArray().Select(item => item.GetProperty("type").GetString()).Should().Equal("function_call");
    }

    [Fact]
    public async Task None_never_calls_a_tool()
    {
        await using var server = await LocalResponsesServer.StartAsync();

        var (status, body) = await PostAsync(server, $$"""{"input":"just talk","tools":{{ThreeTools}},"tool_choice":"none"}""");

        status.Should().Be(HttpStatusCode.OK);
        OnlyText(body).Should().Be("You said: just talk");
    }

    [Fact]
    public async Task Allowed_tools_narrow_the_candidates()
    {
        await using var server = await LocalResponsesServer.StartAsync();

        var (_, body) = await PostAsync(server, $$"""
            {"input":"go","tools":{{ThreeTools}},
             "tool_choice":{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"cancel_order"}]} }
            """);

        body.GetProperty("output")[0].GetProperty("name").GetString().Should().Be("cancel_order");
    }

    [Fact]
    public async Task A_forced_function_that_is_not_declared_is_rejected_before_generating()
    {
        await using var server = await LocalResponsesServer.StartAsync();

        var (status, body) = await PostAsync(server, $$"""
            {"input":"go","tools":{{ThreeTools}},"tool_choice":{"type":"function","name":"launch_rocket"} }
            """);

        status.Should().Be(HttpStatusCode.BadRequest);
        var error = body.GetProperty("error");
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("param").GetString().Should().Be("tool_choice");
        error.GetProperty("message").GetString().Should().Be("Tool choice 'launch_rocket' not found in 'tools' parameter.");
    }

    [Fact]
    public async Task Required_without_tools_is_rejected()
    {
        await using var server = await LocalResponsesServer.StartAsync();

        var (status, body) = await PostAsync(server, """{"input":"go","tool_choice":"required"}""");

        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetProperty("param").GetString().Should().Be("tool_choice");
    }

    private static string OnlyText(JsonElement response)
    {
        var message = response.GetProperty("output").EnumerateArray().Should().ContainSingle().Subject;
        message.GetProperty("type").GetString().Should().Be("message");
        return message.GetProperty("content")[0].GetProperty("text").GetString()!;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(LocalResponsesServer server, string json)
    {
        using var http = new HttpClient();
        using var content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.PostAsync(server.BaseUri + "/responses", content).WaitAsync(Timeout);
        var body = JsonElement.Parse(await response.Content.ReadAsStringAsync().WaitAsync(Timeout));
        return (response.StatusCode, body);
    }
}
