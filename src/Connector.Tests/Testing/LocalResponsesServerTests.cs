using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>Drives the local server with a raw <see cref="ClientWebSocket"/> and <see cref="HttpClient"/>, as a real client would.</summary>
public sealed class LocalResponsesServerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> Terminals = ["response.completed", "response.incomplete", "response.failed", "error"];

    private const string WeatherTool = """
        {"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object",
         "properties":{"city":{"type":"string"},"days":{"type":"integer"},"unit":{"type":"string","enum":["c","f"]},"metric":{"type":"boolean"}},
         "required":["city"]}}
        """;

    [Fact]
    public async Task Binds_loopback_only_with_an_ephemeral_port()
    {
        await using var server = await LocalResponsesServer.StartAsync();

        server.BaseUri.Host.Should().Be("127.0.0.1");
        server.BaseUri.Scheme.Should().Be("http");
        server.BaseUri.AbsolutePath.Should().Be("/v1");
        server.WebSocketUri.Should().Be(new Uri($"ws://127.0.0.1:{server.BaseUri.Port}/v1/responses"));
        server.BaseUri.Port.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Default_text_reply_streams_the_documented_event_sequence()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"model":"gpt-test","store":false,"input":"hello there"}"""));
        var events = await ReadResponseAsync(socket);

        Types(events).Should().Equal(
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
            "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed");
        events.Select(e => e.GetProperty("sequence_number").GetInt32()).Should().Equal(Enumerable.Range(0, events.Count));
        string.Concat(events.Where(e => Type(e) == "response.output_text.delta").Select(e => e.GetProperty("delta").GetString()))
            .Should().Be("You said: hello there");

        var created = events[0].GetProperty("response");
        created.GetProperty("status").GetString().Should().Be("in_progress");
        created.GetProperty("output").GetArrayLength().Should().Be(0);
        created.GetProperty("usage").ValueKind.Should().Be(JsonValueKind.Null);

        var final = events[^1].GetProperty("response");
        final.GetProperty("id").GetString().Should().StartWith("resp_");
        final.GetProperty("object").GetString().Should().Be("response");
        final.GetProperty("model").GetString().Should().Be("gpt-test");
        final.GetProperty("store").GetBoolean().Should().BeFalse();
        var message = final.GetProperty("output")[0];
        message.GetProperty("type").GetString().Should().Be("message");
        message.GetProperty("status").GetString().Should().Be("completed");
        message.GetProperty("content")[0].GetProperty("text").GetString().Should().Be("You said: hello there");
        var usage = final.GetProperty("usage");
        usage.GetProperty("input_tokens").GetInt32().Should().BePositive();
        usage.GetProperty("output_tokens").GetInt32().Should().BePositive();
        usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32().Should().Be(0);
        usage.GetProperty("total_tokens").GetInt32().Should().Be(
            usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32());

        server.Requests.Should().ContainSingle().Which.Transport.Should().Be("websocket");
        server.Requests[0].ConnectionId.Should().Be(1);
        server.Requests[0].Store.Should().BeFalse();
        server.Requests[0].InputItemTypes.Should().Equal("message");
    }

    [Fact]
    public async Task Declared_function_tool_is_called_with_schema_sample_arguments_then_results_are_reported()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create($$"""{"store":false,"input":"weather?","tools":[{{WeatherTool}}]}"""));
        var events = await ReadResponseAsync(socket);

        Types(events).Should().StartWith(["response.created", "response.in_progress", "response.output_item.added"])
            .And.EndWith(["response.function_call_arguments.done", "response.output_item.done", "response.completed"]);
        var added = events[2].GetProperty("item");
        added.GetProperty("type").GetString().Should().Be("function_call");
        added.GetProperty("status").GetString().Should().Be("in_progress");
        added.GetProperty("arguments").GetString().Should().BeEmpty();

        const string expectedArguments = """{"city":"sample","days":1,"unit":"c","metric":true}""";
        string.Concat(events.Where(e => Type(e) == "response.function_call_arguments.delta").Select(e => e.GetProperty("delta").GetString()))
            .Should().Be(expectedArguments);
        events.Count(e => Type(e) == "response.function_call_arguments.delta").Should().BeGreaterThan(1);
        var argumentsDone = events.Single(e => Type(e) == "response.function_call_arguments.done");
        argumentsDone.GetProperty("name").GetString().Should().Be("get_weather");
        argumentsDone.GetProperty("arguments").GetString().Should().Be(expectedArguments);

        var call = events[^1].GetProperty("response").GetProperty("output")[0];
        call.GetProperty("status").GetString().Should().Be("completed");
        call.GetProperty("id").GetString().Should().StartWith("fc_");
        var callId = call.GetProperty("call_id").GetString()!;
        callId.Should().StartWith("call_");

        // Continuing with only the tool output: the model reports the results instead of calling again.
        var responseId = ResponseId(events[^1]);
        await SendAsync(socket, Create($$"""
            {"store":false,"previous_response_id":"{{responseId}}","tools":[{{WeatherTool}}],
             "input":[{"type":"function_call_output","call_id":"{{callId}}","output":"sunny"}]}
            """));
        var second = await ReadResponseAsync(socket);
        FinalText(second).Should().Be("Tool results: sunny");
        server.DuplicateItemCount.Should().Be(0);
    }

    [Fact]
    public async Task Store_false_chains_only_from_the_most_recent_response_on_the_same_socket()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var first = await ConnectAsync(server);
        using var other = await ConnectAsync(server);

        await SendAsync(first, Create("""{"store":false,"input":"one"}"""));
        var firstId = ResponseId((await ReadResponseAsync(first))[^1]);

        await SendAsync(first, Create($$"""{"store":false,"previous_response_id":"{{firstId}}","input":"two"}"""));
        var chained = (await ReadResponseAsync(first))[^1].GetProperty("response");
        chained.GetProperty("status").GetString().Should().Be("completed");
        chained.GetProperty("previous_response_id").GetString().Should().Be(firstId);
        chained.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32().Should().BePositive();

        // Another socket never saw it, and store:false leaves nothing persisted.
        await SendAsync(other, Create($$"""{"store":false,"previous_response_id":"{{firstId}}","input":"two"}"""));
        var error = await ReceiveAsync(other);
        error.GetProperty("type").GetString().Should().Be("error");
        error.GetProperty("status").GetInt32().Should().Be(400);
        var details = error.GetProperty("error");
        details.GetProperty("type").GetString().Should().Be("invalid_request_error");
        details.GetProperty("code").GetString().Should().Be("previous_response_not_found");
        details.GetProperty("message").GetString().Should().Be($"Previous response with id '{firstId}' not found.");
        details.GetProperty("param").GetString().Should().Be("previous_response_id");

        // Only the most recent response is cached: the first one is gone now on its own socket too.
        await SendAsync(first, Create($$"""{"store":false,"previous_response_id":"{{firstId}}","input":"three"}"""));
        ErrorCode(await ReceiveAsync(first)).Should().Be("previous_response_not_found");
        server.Requests.Select(r => r.ConnectionId).Should().Equal(1, 1, 2, 1);
    }

    [Fact]
    public async Task An_error_evicts_the_connection_cache()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"one"}"""));
        var id = ResponseId((await ReadResponseAsync(socket))[^1]);

        await SendAsync(socket, "{not json");
        var parseError = await ReceiveAsync(socket);
        parseError.GetProperty("type").GetString().Should().Be("error");
        parseError.GetProperty("error").GetProperty("type").GetString().Should().Be("invalid_request_error");

        await SendAsync(socket, Create($$"""{"store":false,"previous_response_id":"{{id}}","input":"two"}"""));
        ErrorCode(await ReceiveAsync(socket)).Should().Be("previous_response_not_found");
    }

    [Fact]
    public async Task Store_true_responses_continue_from_another_socket_and_over_http()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var first = await ConnectAsync(server);
        await SendAsync(first, Create("""{"input":"remember me"}"""));
        var id = ResponseId((await ReadResponseAsync(first))[^1]);

        using var second = await ConnectAsync(server);
        await SendAsync(second, Create($$"""{"store":true,"previous_response_id":"{{id}}","input":"again"}"""));
        var final = (await ReadResponseAsync(second))[^1].GetProperty("response");
        final.GetProperty("status").GetString().Should().Be("completed");
        final.GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32().Should().Be(0);

        using var http = new HttpClient();
        using var response = await http.PostAsync(ResponsesUrl(server), Json($$"""{"previous_response_id":"{{id}}","input":"via http"}"""));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = JsonElement.Parse(await response.Content.ReadAsStringAsync());
        body.GetProperty("previous_response_id").GetString().Should().Be(id);
        body.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString().Should().Be("You said: via http");
    }

    [Fact]
    public async Task Orphan_function_call_output_is_rejected()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":[{"type":"function_call_output","call_id":"call_missing","output":"x"}]}"""));
        var error = await ReceiveAsync(socket);

        var details = error.GetProperty("error");
        details.GetProperty("message").GetString().Should().Be("No tool call found for function call output with call_id call_missing.");
        details.GetProperty("code").ValueKind.Should().Be(JsonValueKind.Null);
        details.GetProperty("param").GetString().Should().Be("input");
    }

    [Fact]
    public async Task Warmup_returns_an_empty_response_that_can_be_chained()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"generate":false,"instructions":"be brief","input":"warm words"}"""));
        var warmup = await ReadResponseAsync(socket);
        Types(warmup).Should().Equal("response.created", "response.completed");
        var final = warmup[^1].GetProperty("response");
        final.GetProperty("output").GetArrayLength().Should().Be(0);
        final.GetProperty("usage").GetProperty("input_tokens").GetInt32().Should().BePositive();
        final.GetProperty("usage").GetProperty("output_tokens").GetInt32().Should().Be(0);

        await SendAsync(socket, Create($$"""{"store":false,"previous_response_id":"{{ResponseId(warmup[^1])}}","input":[]}"""));
        var chained = await ReadResponseAsync(socket);
        FinalText(chained).Should().Be("You said: warm words");
        server.Requests[0].Has("generate").Should().BeTrue();
    }

    [Fact]
    public async Task Missing_api_key_gets_401_on_upgrade_and_post()
    {
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { ApiKey = "sk-local" });

        using var rejected = new ClientWebSocket();
        rejected.Options.CollectHttpResponseDetails = true;
        var connect = () => rejected.ConnectAsync(server.WebSocketUri, CancellationToken.None);
        await connect.Should().ThrowAsync<WebSocketException>();
        rejected.HttpStatusCode.Should().Be(HttpStatusCode.Unauthorized);

        using var http = new HttpClient();
        using var response = await http.PostAsync(ResponsesUrl(server), Json("""{"input":"hi"}"""));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var error = JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("invalid_api_key");
        error.GetProperty("message").GetString().Should().Be("Incorrect API key provided.");

        using var accepted = await ConnectAsync(server, "sk-local");
        server.HandshakeCount.Should().Be(1);
        server.HandshakeHeaders.Should().HaveCount(2);
        server.HandshakeHeaders[1]["authorization"].Should().Be("Bearer sk-local");
        server.ApiKey.Should().Be("sk-local");
    }

    [Fact]
    public async Task Http_stream_is_valid_sse_and_generate_is_rejected()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var http = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, ResponsesUrl(server)) { Content = Json("""{"stream":true,"store":false,"input":"sse please"}""") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            items.Add(item);
        }

        items.Should().AllSatisfy(item => JsonElement.Parse(item.Data).GetProperty("type").GetString().Should().Be(item.EventType));
        items[0].EventType.Should().Be("response.created");
        items[^1].EventType.Should().Be("response.completed");
        server.Requests.Should().ContainSingle().Which.Transport.Should().Be("http");
        server.Requests[0].ConnectionId.Should().Be(0);

        using var generate = await http.PostAsync(ResponsesUrl(server), Json("""{"generate":false,"input":"hi"}"""));
        generate.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = JsonElement.Parse(await generate.Content.ReadAsStringAsync()).GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("unsupported_parameter");
        error.GetProperty("param").GetString().Should().Be("generate");
        error.GetProperty("message").GetString().Should().Be("Unsupported parameter: generate");
    }

    [Fact]
    public async Task Http_continuation_of_an_unstored_response_is_not_found()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create("""{"store":false,"input":"secret"}"""));
        var id = ResponseId((await ReadResponseAsync(socket))[^1]);

        using var http = new HttpClient();
        using var response = await http.PostAsync(ResponsesUrl(server), Json($$"""{"store":false,"previous_response_id":"{{id}}","input":"x"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("code").GetString()
            .Should().Be("previous_response_not_found");
    }

    [Fact]
    public async Task Drop_fault_aborts_the_connection_after_n_events()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.DropConnectionAfterEvents(2);
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"hi"}"""));
        Type(await ReceiveAsync(socket)).Should().Be("response.created");
        Type(await ReceiveAsync(socket)).Should().Be("response.in_progress");

        var next = () => ReceiveAsync(socket);
        (await next.Should().ThrowAsync<WebSocketException>()).Which.WebSocketErrorCode.Should().Be(WebSocketError.ConnectionClosedPrematurely);
    }

    [Fact]
    public async Task Error_fault_replaces_the_response_and_evicts_the_cache()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create("""{"store":false,"input":"one"}"""));
        var id = ResponseId((await ReadResponseAsync(socket))[^1]);

        server.Faults.ErrorOnNextCreate("rate_limit_exceeded", "slow down", status: 429, type: "rate_limit_error");
        await SendAsync(socket, Create($$"""{"store":false,"previous_response_id":"{{id}}","input":"two"}"""));
        var error = await ReceiveAsync(socket);
        error.GetProperty("status").GetInt32().Should().Be(429);
        error.GetProperty("error").GetProperty("code").GetString().Should().Be("rate_limit_exceeded");
        error.GetProperty("error").GetProperty("type").GetString().Should().Be("rate_limit_error");

        await SendAsync(socket, Create($$"""{"store":false,"previous_response_id":"{{id}}","input":"two"}"""));
        ErrorCode(await ReceiveAsync(socket)).Should().Be("previous_response_not_found");
        server.Faults.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Pause_gate_holds_the_response_and_later_creates_queue_behind_it()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Faults.PauseAfterEvents(2, release.Task);
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"first"}"""));
        Type(await ReceiveAsync(socket)).Should().Be("response.created");
        Type(await ReceiveAsync(socket)).Should().Be("response.in_progress");

        await SendAsync(socket, Create("""{"store":false,"input":"second"}"""));
        await server.WaitForRequestCountAsync(2).WaitAsync(Timeout);
        var pending = ReceiveAsync(socket);
        pending.IsCompleted.Should().BeFalse("the response is held at the gate");

        release.SetResult();
        var rest = new List<JsonElement> { await pending };
        rest.AddRange(await ReadResponseAsync(socket, alreadyRead: rest));
        FinalText(rest).Should().Be("You said: first");
        FinalText(await ReadResponseAsync(socket)).Should().Be("You said: second");
    }

    [Fact]
    public async Task Error_then_failed_fault_sends_two_terminals()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.ErrorThenFailedOnNextResponse("insufficient_quota", "no quota");
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"hi"}"""));
        var events = new[] { await ReceiveAsync(socket), await ReceiveAsync(socket), await ReceiveAsync(socket) };

        Types(events).Should().Equal("response.created", "error", "response.failed");
        events[1].GetProperty("error").GetProperty("code").GetString().Should().Be("insufficient_quota");
        events[2].GetProperty("response").GetProperty("error").GetProperty("code").GetString().Should().Be("insufficient_quota");
    }

    [Fact]
    public async Task Connection_limit_fault_sends_the_error_then_closes()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.ConnectionLimitOnNextCreate();
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"hi"}"""));
        ErrorCode(await ReceiveAsync(socket)).Should().Be("websocket_connection_limit_reached");

        var buffer = new byte[256];
        var close = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
        close.MessageType.Should().Be(WebSocketMessageType.Close);
    }

    [Fact]
    public async Task Close_fault_ends_the_socket_gracefully_mid_response()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.CloseConnectionAfterEvents(1, WebSocketCloseStatus.InternalServerError, "going away");
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"hi"}"""));
        Type(await ReceiveAsync(socket)).Should().Be("response.created");
        var close = await socket.ReceiveAsync(new byte[256], CancellationToken.None).WaitAsync(Timeout);

        close.MessageType.Should().Be(WebSocketMessageType.Close);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.InternalServerError);
        socket.CloseStatusDescription.Should().Be("going away");
        server.OpenConnectionCount.Should().Be(0);
    }

    [Fact]
    public async Task Rejected_handshake_answers_the_status_and_the_next_one_succeeds()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.RejectNextHandshake(426);

        using var rejected = new ClientWebSocket();
        rejected.Options.CollectHttpResponseDetails = true;
        var connect = () => rejected.ConnectAsync(server.WebSocketUri, CancellationToken.None);
        await connect.Should().ThrowAsync<WebSocketException>();
        rejected.HttpStatusCode.Should().Be(HttpStatusCode.UpgradeRequired);

        using var accepted = await ConnectAsync(server);
        server.HandshakeCount.Should().Be(1);
        server.OpenConnectionCount.Should().Be(1);
        server.HandshakeHeaders.Should().HaveCount(2);
    }

    [Fact]
    public async Task Trailing_terminal_and_raw_frame_faults_wrap_the_next_responses()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.SendTrailingTerminalAfterNextResponse();
        server.Faults.SendRawBeforeNextResponse("{not json");
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"one"}"""));
        var first = await ReadResponseAsync(socket);
        var trailing = await ReceiveAsync(socket);
        Type(trailing).Should().Be("response.done");
        ResponseId(trailing).Should().Be(ResponseId(first[^1]));

        await SendAsync(socket, Create("""{"store":false,"input":"two"}"""));
        var raw = await socket.ReceiveAsync(new byte[256], CancellationToken.None).WaitAsync(Timeout);
        raw.MessageType.Should().Be(WebSocketMessageType.Text);
        FinalText(await ReadResponseAsync(socket)).Should().Be("You said: two");
    }

    [Fact]
    public async Task Incomplete_reply_ends_with_response_incomplete()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Model.Enqueue(new ScriptedReply { Text = "cut short", IncompleteReason = "max_output_tokens" });
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"long story"}"""));
        var final = (await ReadResponseAsync(socket))[^1];

        Type(final).Should().Be("response.incomplete");
        final.GetProperty("response").GetProperty("incomplete_details").GetProperty("reason").GetString().Should().Be("max_output_tokens");
    }

    [Fact]
    public async Task Binary_and_unknown_messages_get_errors_and_the_socket_keeps_working()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        await socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        Type(await ReceiveAsync(socket)).Should().Be("error");
        await SendAsync(socket, """{"type":"response.cancel"}""");
        (await ReceiveAsync(socket)).GetProperty("error").GetProperty("type").GetString().Should().Be("invalid_request_error");
        await SendAsync(socket, Create("""{"background":true,"input":"hi"}"""));
        (await ReceiveAsync(socket)).GetProperty("error").GetProperty("param").GetString().Should().Be("background");

        await SendAsync(socket, Create("""{"store":false,"input":"still here"}"""));
        FinalText(await ReadResponseAsync(socket)).Should().Be("You said: still here");
    }

    [Fact]
    public async Task Scripted_reply_composes_reasoning_text_citations_and_calls()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Model.Enqueue(new ScriptedReply
        {
            ReasoningSummary = "Thinking it over",
            Text = "See the docs",
            Citations = [new ScriptedCitation("https://example.test", "Docs", 8, 12)],
            FunctionCalls = [new ScriptedFunctionCall("lookup", """{ "q" : "x" }""")],
        });
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"model":"gpt-5-mini","store":false,"include":["reasoning.encrypted_content"],"input":"go"}"""));
        var events = await ReadResponseAsync(socket);

        var output = events[^1].GetProperty("response").GetProperty("output");
        output.EnumerateArray().Select(item => item.GetProperty("type").GetString()).Should().Equal("reasoning", "message", "function_call");
        output[0].GetProperty("summary")[0].GetProperty("text").GetString().Should().Be("Thinking it over");
        output[0].GetProperty("encrypted_content").GetString().Should().NotBeNullOrEmpty();
        output[1].GetProperty("content")[0].GetProperty("annotations")[0].GetProperty("url").GetString().Should().Be("https://example.test");
        output[2].GetProperty("arguments").GetString().Should().Be("""{"q":"x"}""");
        Types(events).Should().Contain(["response.reasoning_summary_text.delta", "response.output_text.annotation.added"]);
    }

    [Fact]
    public async Task Re_sent_output_items_are_counted_as_duplicates()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create($$"""{"store":false,"input":"weather?","tools":[{{WeatherTool}}]}"""));
        var final = (await ReadResponseAsync(socket))[^1];
        var call = final.GetProperty("response").GetProperty("output")[0];

        await SendAsync(socket, Create($$"""
            {"store":false,"previous_response_id":"{{ResponseId(final)}}","tools":[{{WeatherTool}}],
             "input":[{{call.GetRawText()}},{"type":"function_call_output","call_id":"{{call.GetProperty("call_id").GetString()}}","output":"ok"}]}
            """));
        await ReadResponseAsync(socket);

        server.DuplicateItemCount.Should().Be(1);
        server.Requests[^1].InputItemTypes.Should().Equal("function_call", "function_call_output");
        server.Requests[^1].PreviousResponseId.Should().Be(ResponseId(final));
    }

    private static string ResponsesUrl(LocalResponsesServer server) => server.BaseUri + "/responses";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static string Create(string fields) => """{"type":"response.create",""" + fields.TrimStart()[1..];

    private static string Type(JsonElement e) => e.GetProperty("type").GetString()!;

    private static string[] Types(IEnumerable<JsonElement> events) => [.. events.Select(Type)];

    private static string ResponseId(JsonElement terminal) => terminal.GetProperty("response").GetProperty("id").GetString()!;

    private static string? ErrorCode(JsonElement error) => error.GetProperty("error").GetProperty("code").GetString();

    private static string FinalText(IReadOnlyList<JsonElement> events) =>
        events[^1].GetProperty("response").GetProperty("output").EnumerateArray()
            .Single(item => item.GetProperty("type").GetString() == "message")
            .GetProperty("content")[0].GetProperty("text").GetString()!;

    private static async Task<ClientWebSocket> ConnectAsync(LocalResponsesServer server, string? apiKey = null)
    {
        var socket = new ClientWebSocket();
        if (apiKey is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
        }

        await socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).WaitAsync(Timeout);
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            result.MessageType.Should().Be(WebSocketMessageType.Text);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonElement.Parse(message.ToArray());
            }
        }
    }

    private static async Task<List<JsonElement>> ReadResponseAsync(ClientWebSocket socket, IReadOnlyList<JsonElement>? alreadyRead = null)
    {
        var events = new List<JsonElement>();
        if (alreadyRead is { Count: > 0 } && Terminals.Contains(Type(alreadyRead[^1])))
        {
            return events;
        }

        while (true)
        {
            var next = await ReceiveAsync(socket);
            events.Add(next);
            if (Terminals.Contains(Type(next)))
            {
                return events;
            }
        }
    }
}
