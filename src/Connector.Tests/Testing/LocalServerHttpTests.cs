using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;
using static ResponsesWebSocket.Tests.Testing.WireClient;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>
/// <c>POST /v1/responses</c> as the HTTP/SSE fallback transport sees it, driven with a raw <see cref="HttpClient"/> and
/// <see cref="SseParser"/>: framing, continuation rules, error shapes, and every fault an HTTP client must survive.
/// </summary>
public sealed class LocalServerHttpTests
{
    [Fact]
    public async Task Sse_carries_the_same_events_as_websocket_mode_each_typed_by_its_event_line()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create("""{"store":false,"input":"same events"}"""));
        var overSocket = await ReadResponseAsync(socket);

        using var http = new HttpClient();
        using var response = await StreamAsync(http, server, """{"stream":true,"store":false,"input":"same events"}""");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        var items = await ReadAllAsync(response);

        items.Should().AllSatisfy(item => Type(JsonElement.Parse(item.Data)).Should().Be(item.EventType));
        items.Select(item => item.EventType).Should().Equal(overSocket.Select(Type));
        items.Select(item => JsonElement.Parse(item.Data).GetProperty("sequence_number").GetInt32()).Should().Equal(Enumerable.Range(0, items.Count));
        FinalText([.. items.Select(item => JsonElement.Parse(item.Data))]).Should().Be("You said: same events");
    }

    [Theory]
    [InlineData("""{"store":false,"input":"plain"}""")]
    [InlineData("""{"stream":false,"store":false,"input":"plain"}""")]
    public async Task Without_stream_true_the_answer_is_the_json_response(string body)
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(ResponsesUrl(server), Json(body)).Bounded();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var json = JsonElement.Parse(await response.Content.ReadAsStringAsync());
        json.GetProperty("object").GetString().Should().Be("response");
        json.GetProperty("status").GetString().Should().Be("completed");
        json.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString().Should().Be("You said: plain");
    }

    [Fact]
    public async Task Over_http_a_stored_response_chains_by_id_from_either_transport()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var contextSizes = new List<int>();
        server.Model.Responder = turn =>
        {
            lock (contextSizes)
            {
                contextSizes.Add(turn.Context.Count);
            }

            return ScriptedReply.WithText("turn " + turn.LastUserText);
        };

        var (_, first) = await PostAsync(server, """{"store":true,"input":"one"}""");
        var (status, second) = await PostAsync(server, $$"""{"store":true,"previous_response_id":"{{first.GetProperty("id").GetString()}}","input":"two"}""");
        status.Should().Be(HttpStatusCode.OK);

        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create("""{"store":true,"input":"three"}"""));
        var overSocket = ResponseId((await ReadResponseAsync(socket))[^1]);
        var (fromSocketStatus, _) = await PostAsync(server, $$"""{"store":true,"previous_response_id":"{{overSocket}}","input":"four"}""");
        fromSocketStatus.Should().Be(HttpStatusCode.OK);

        // Each context holds the continued response's input and output (user + assistant) plus the new message.
        contextSizes.Should().Equal(1, 3, 1, 3);
        second.GetProperty("previous_response_id").GetString().Should().Be(first.GetProperty("id").GetString());
        server.Requests.Select(r => r.Transport).Should().Equal("http", "http", "websocket", "http");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Over_http_an_unstored_response_is_previous_response_not_found_as_a_json_400(bool stream)
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var (_, first) = await PostAsync(server, """{"store":false,"input":"forget me"}""");
        var id = first.GetProperty("id").GetString();
        using var http = new HttpClient();

        using var response = await http.PostAsync(ResponsesUrl(server), Json($$"""{"stream":{{(stream ? "true" : "false")}},"store":false,"previous_response_id":"{{id}}","input":"x"}""")).Bounded();

        // An error before the stream starts is a status with a JSON body, never an SSE stream.
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var body = JsonElement.Parse(await response.Content.ReadAsStringAsync());
        body.EnumerateObject().Select(p => p.Name).Should().Equal("error");
        var error = body.GetProperty("error");
        error.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("message", "type", "param", "code");
        error.GetProperty("message").GetString().Should().Be($"Previous response with id '{id}' not found.");
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("param").GetString().Should().Be("previous_response_id");
        error.GetProperty("code").GetString().Should().Be("previous_response_not_found");
    }

    [Fact]
    public async Task Generate_is_rejected_before_any_stream()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(ResponsesUrl(server), Json("""{"stream":true,"generate":false,"input":"warm"}""")).Bounded();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("code").GetString().Should().Be("unsupported_parameter");
    }

    [Fact]
    public async Task A_rejected_http_request_gets_the_status_retry_after_and_json_error_even_when_streaming()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.RejectNextHttpRequest(429, retryAfter: TimeSpan.FromSeconds(3));
        using var http = new HttpClient();

        using var rejected = await StreamAsync(http, server, """{"stream":true,"store":false,"input":"too fast"}""");

        rejected.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        rejected.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        rejected.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(3));
        var error = JsonElement.Parse(await rejected.Content.ReadAsStringAsync()).GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("rate_limit_exceeded");

        // Nothing was created: the retry gets the first response id.
        using var retried = await StreamAsync(http, server, """{"stream":true,"store":false,"input":"again"}""");
        var items = await ReadAllAsync(retried);
        items[^1].EventType.Should().Be("response.completed");
        ResponseId(JsonElement.Parse(items[^1].Data)).Should().Be("resp_0001");
        server.Requests.Should().HaveCount(2);
    }

    [Theory]
    [InlineData(503, "server_error", null)]
    [InlineData(401, "invalid_request_error", "invalid_api_key")]
    public async Task A_rejected_http_request_defaults_to_the_error_for_its_status(int status, string type, string? code)
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.RejectNextHttpRequest(status);

        var (actual, body) = await PostAsync(server, """{"store":false,"input":"x"}""");

        ((int)actual).Should().Be(status);
        body.GetProperty("error").GetProperty("type").GetString().Should().Be(type);
        body.GetProperty("error").GetProperty("code").GetString().Should().Be(code);
    }

    [Fact]
    public async Task A_rejected_http_request_can_carry_a_custom_body_and_rejects_non_error_statuses()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        const string custom = """{"error":{"message":"try later","type":"server_error","param":null,"code":"overloaded"}}""";
        server.Faults.RejectNextHttpRequest(503, custom);
        using var http = new HttpClient();

        using var response = await http.PostAsync(ResponsesUrl(server), Json("""{"input":"x"}""")).Bounded();

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).Should().Be(custom);
        response.Headers.Contains("Retry-After").Should().BeFalse();
        var ok = () => server.Faults.RejectNextHttpRequest(200);
        ok.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task The_http_rejection_passes_websocket_requests_by_and_can_be_targeted()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.When(r => r.LastUserText == "second").RejectNextHttpRequest(503);
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"second"}""")); // right text, but a socket
        FinalText(await ReadResponseAsync(socket)).Should().Be("You said: second");
        (await PostAsync(server, """{"store":false,"input":"first"}""")).Status.Should().Be(HttpStatusCode.OK);
        server.Faults.PendingCount.Should().Be(1);

        (await PostAsync(server, """{"store":false,"input":"second"}""")).Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        server.Faults.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task A_drop_ends_the_sse_stream_abruptly_after_n_events()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        server.Faults.When(r => r.Transport == "http").DropConnectionAfterEvents(3);

        // The socket's response passes the HTTP-targeted drop by.
        await SendAsync(socket, Create("""{"store":false,"input":"socket"}"""));
        FinalText(await ReadResponseAsync(socket)).Should().Be("You said: socket");

        using var http = new HttpClient();
        using var response = await StreamAsync(http, server, """{"stream":true,"store":false,"input":"dropped"}""");
        var items = new List<SseItem<string>>();
        using var patience = new CancellationTokenSource(Patience.Limit);
        var read = async () =>
        {
            await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync(patience.Token)).EnumerateAsync(patience.Token))
            {
                items.Add(item);
            }
        };

        // A clean end of stream would parse without error; the drop leaves the chunked body unfinished.
        await read.Should().ThrowAsync<IOException>();
        items.Select(item => item.EventType).Should().Equal("response.created", "response.in_progress", "response.output_item.added");
        server.Faults.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task Failed_responses_and_in_stream_errors_arrive_as_sse_events()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.FailNextResponse("server_error", "it broke");
        server.Faults.ErrorThenFailedOnNextResponse("insufficient_quota", "no quota");
        server.Faults.When(r => r.LastUserText == "c").ErrorOnNextCreate("rate_limit_exceeded", "slow down", status: 429);
        using var http = new HttpClient();

        using var failed = await StreamAsync(http, server, """{"stream":true,"store":false,"input":"a"}""");
        var failedItems = await ReadAllAsync(failed);
        failedItems.Select(i => i.EventType).Should().Equal("response.created", "response.in_progress", "response.failed");
        JsonElement.Parse(failedItems[^1].Data).GetProperty("response").GetProperty("error").GetProperty("message").GetString().Should().Be("it broke");

        using var errorThenFailed = await StreamAsync(http, server, """{"stream":true,"store":false,"input":"b"}""");
        var twoTerminals = await ReadAllAsync(errorThenFailed);
        twoTerminals.Select(i => i.EventType).Should().Equal("response.created", "error", "response.failed");
        var error = JsonElement.Parse(twoTerminals[1].Data);
        error.GetProperty("sequence_number").GetInt32().Should().Be(1);
        error.GetProperty("error").GetProperty("code").GetString().Should().Be("insufficient_quota");

        // An injected create error over SSE is a 200 stream holding one error event, unlike a rejected request.
        using var createError = await StreamAsync(http, server, """{"stream":true,"store":false,"input":"c"}""");
        createError.StatusCode.Should().Be(HttpStatusCode.OK);
        var single = await ReadAllAsync(createError);
        single.Should().ContainSingle().Which.EventType.Should().Be("error");
        JsonElement.Parse(single[0].Data).GetProperty("error").GetProperty("code").GetString().Should().Be("rate_limit_exceeded");
    }

    [Fact]
    public async Task An_error_after_n_events_cuts_the_sse_stream_after_output_and_the_response_is_not_stored()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.ErrorAfterEvents(5, "server_error", "mid-stream failure");
        using var http = new HttpClient();

        using var response = await StreamAsync(http, server, """{"stream":true,"store":true,"input":"cut me short"}""");
        var items = await ReadAllAsync(response);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        items.Select(i => i.EventType).Should().Equal(
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error");
        var error = JsonElement.Parse(items[^1].Data);
        error.GetProperty("sequence_number").GetInt32().Should().Be(5);
        error.GetProperty("error").GetProperty("code").GetString().Should().Be("server_error");
        error.GetProperty("error").GetProperty("message").GetString().Should().Be("mid-stream failure");

        // Even at store=true the cut response is not persisted: continuing it is not found.
        var id = ResponseId(JsonElement.Parse(items[0].Data));
        var (status, body) = await PostAsync(server, $$"""{"previous_response_id":"{{id}}","input":"next"}""");
        status.Should().Be(HttpStatusCode.BadRequest);
        body.GetProperty("error").GetProperty("code").GetString().Should().Be("previous_response_not_found");
    }

    [Fact]
    public async Task An_error_after_n_events_is_a_status_without_stream_and_a_nested_error_on_a_socket()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.When(r => r.Transport == "http").ErrorAfterEvents(5, "server_error", "no stream to cut", status: 503);
        server.Faults.When(r => r.Transport == "websocket").ErrorAfterEvents(5, null, "socket cut", status: 500);

        var (status, body) = await PostAsync(server, """{"store":false,"input":"plain"}""");
        status.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.GetProperty("error").GetProperty("message").GetString().Should().Be("no stream to cut");

        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create("""{"store":false,"input":"over the socket"}"""));
        var events = await ReadResponseAsync(socket);
        events.Select(Type).Should().Equal(
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error");
        events[^1].GetProperty("status").GetInt32().Should().Be(500);
        ErrorOf(events[^1]).GetProperty("message").GetString().Should().Be("socket cut");

        // The socket stays usable, but the cut response was evicted from its cache.
        var id = ResponseId(events[0]);
        await SendAsync(socket, Create($$"""{"store":false,"previous_response_id":"{{id}}","input":"continue"}"""));
        ErrorOf(await ReceiveAsync(socket)).GetProperty("code").GetString().Should().Be("previous_response_not_found");
        server.Faults.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task A_paused_sse_stream_holds_after_n_events_until_released()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Faults.When(r => r.Transport == "http").PauseAfterEvents(2, release.Task);
        using var http = new HttpClient();

        using var response = await StreamAsync(http, server, """{"stream":true,"store":false,"input":"held"}""");
        await using var events = SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
        (await events.MoveNextAsync().AsTask().Bounded()).Should().BeTrue();
        events.Current.EventType.Should().Be("response.created");
        (await events.MoveNextAsync().AsTask().Bounded()).Should().BeTrue();
        events.Current.EventType.Should().Be("response.in_progress");

        var third = events.MoveNextAsync().AsTask();
        third.IsCompleted.Should().BeFalse("the stream is held at the gate");
        release.SetResult();
        (await third.Bounded()).Should().BeTrue();
        events.Current.EventType.Should().Be("response.output_item.added");

        var last = events.Current;
        while (await events.MoveNextAsync().AsTask().Bounded())
        {
            last = events.Current;
        }

        last.EventType.Should().Be("response.completed");
    }

    private static async Task<HttpResponseMessage> StreamAsync(HttpClient http, LocalResponsesServer server, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ResponsesUrl(server)) { Content = Json(body) };
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).Bounded();
    }

    private static async Task<List<SseItem<string>>> ReadAllAsync(HttpResponseMessage response)
    {
        var items = new List<SseItem<string>>();
        using var patience = new CancellationTokenSource(Patience.Limit);
        var stream = await response.Content.ReadAsStreamAsync(patience.Token);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(patience.Token))
        {
            items.Add(item);
        }

        return items;
    }
}
