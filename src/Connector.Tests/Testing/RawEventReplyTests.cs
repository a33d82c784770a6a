using System.Net;
using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;
using static ResponsesWebSocket.Tests.Testing.WireClient;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>Raw replies (<see cref="ScriptedReply.FromRawEvents"/>): frames go out untouched on both transports, and only a usable terminal is cached.</summary>
public sealed class RawEventReplyTests
{
    private const string Created = """{"type":"response.created","sequence_number":0,"response":{"id":"resp_rec_1","status":"in_progress","output":[]}}""";

    // Odd spacing, an escaped character and an unknown field: anything re-serialized would change these bytes.
    private const string CallDone = """{ "type" : "response.output_item.done" , "output_index":0, "item":{"type":"function_call","id":"fc_rec","call_id":"call_rec_1","name":"lookup","arguments":"{\"q\":\"caf\u00e9\"}","status":"completed"},"extra":[1,2]}""";

    private const string Completed = """{"type":"response.completed","response":{"id":"resp_rec_1","object":"response","status":"completed","output":[{"type":"function_call","id":"fc_rec","call_id":"call_rec_1","name":"lookup","arguments":"{}","status":"completed"}],"usage":{"input_tokens":7,"output_tokens":3,"total_tokens":10}}}""";

    private static readonly string[] RecordedLike = [Created, "{not json", "plain text, not an event", CallDone, Completed];

    [Fact]
    public async Task Frames_go_out_verbatim_in_order_and_a_completed_terminal_becomes_the_cached_response()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Model.Enqueue(ScriptedReply.FromRawEvents(RecordedLike));
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"replay"}"""));
        var received = new List<string>();
        foreach (var _ in RecordedLike)
        {
            var (type, bytes) = await ReceiveMessageAsync(socket);
            type.Should().Be(WebSocketMessageType.Text);
            received.Add(Encoding.UTF8.GetString(bytes));
        }

        received.Should().Equal(RecordedLike);

        // The recorded output is the continuation context: the tool output finds its call there, on the fast path.
        await SendAsync(socket, Create("""
            {"store":false,"previous_response_id":"resp_rec_1","input":[{"type":"function_call_output","call_id":"call_rec_1","output":"found"}]}
            """));
        var next = await ReadResponseAsync(socket);
        FinalText(next).Should().Be("Tool results: found");
        next[^1].GetProperty("response").GetProperty("usage").GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32().Should().BePositive();
        server.Model.PendingReplyCount.Should().Be(0);
    }

    public static TheoryData<string> UnusableEndings() => new()
    {
        """{"type":"response.failed","response":{"id":"resp_rec_f","status":"failed","output":[],"error":{"code":"server_error","message":"x"}}}""",
        """{"type":"error","status":400,"error":{"type":"invalid_request_error","code":null,"message":"bad","param":null}}""",
        """{"type":"response.done","response":{"id":"resp_rec_f","status":"failed","output":[]}}""",
        """{"type":"response.completed","response":{"status":"completed","output":[]}}""",
        "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_rec_f\",",
    };

    [Theory]
    [MemberData(nameof(UnusableEndings))]
    public async Task A_reply_without_a_usable_terminal_evicts_the_cache_and_the_socket_keeps_working(string ending)
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create("""{"store":false,"input":"one"}"""));
        var firstId = ResponseId((await ReadResponseAsync(socket))[^1]);

        server.Model.Enqueue(ScriptedReply.FromRawEvents([Created, ending]));
        await SendAsync(socket, Create($$"""{"store":false,"previous_response_id":"{{firstId}}","input":"two"}"""));
        Encoding.UTF8.GetString((await ReceiveMessageAsync(socket)).Bytes).Should().Be(Created);
        Encoding.UTF8.GetString((await ReceiveMessageAsync(socket)).Bytes).Should().Be(ending);

        foreach (var id in new[] { firstId, "resp_rec_f" })
        {
            await SendAsync(socket, Create($$"""{"store":false,"previous_response_id":"{{id}}","input":"three"}"""));
            ErrorOf(await ReceiveAsync(socket)).GetProperty("code").GetString().Should().Be("previous_response_not_found");
        }

        await SendAsync(socket, Create("""{"store":false,"input":"still here"}"""));
        FinalText(await ReadResponseAsync(socket)).Should().Be("You said: still here");
    }

    [Fact]
    public async Task A_stored_raw_response_continues_from_another_socket_and_over_http()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Model.Enqueue(ScriptedReply.FromRawEvents([Created, Completed]));
        using (var first = await ConnectAsync(server))
        {
            await SendAsync(first, Create("""{"store":true,"input":"replay"}"""));
            Type((await ReadResponseAsync(first))[^1]).Should().Be("response.completed");
        }

        using var second = await ConnectAsync(server);
        await SendAsync(second, Create("""
            {"store":true,"previous_response_id":"resp_rec_1","input":[{"type":"function_call_output","call_id":"call_rec_1","output":"socket"}]}
            """));
        FinalText(await ReadResponseAsync(second)).Should().Be("Tool results: socket");

        using var http = new HttpClient();
        using var response = await http.PostAsync(ResponsesUrl(server), Json("""
            {"previous_response_id":"resp_rec_1","input":[{"type":"function_call_output","call_id":"call_rec_1","output":"http"}]}
            """)).Bounded();
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonElement.Parse(await response.Content.ReadAsStringAsync()).GetProperty("output")[0].GetProperty("content")[0]
            .GetProperty("text").GetString().Should().Be("Tool results: http");
    }

    [Fact]
    public async Task Binary_and_invalid_utf8_frames_are_sent_unaltered_and_the_server_survives_them()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        byte[] binary = [0, 1, 2, 0xFF];
        server.Model.Enqueue(ScriptedReply.FromRawFrames(RawFrame.Text(Created), RawFrame.Binary(binary), RawFrame.TextBytes([0xC3, 0x28])));
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"fuzz"}"""));
        Encoding.UTF8.GetString((await ReceiveMessageAsync(socket)).Bytes).Should().Be(Created);
        var (type, bytes) = await ReceiveMessageAsync(socket);
        type.Should().Be(WebSocketMessageType.Binary);
        bytes.Should().Equal(binary);

        // The client's own decoder rejects a text message that is not UTF-8 and fails the socket: proof the bytes went out as given.
        var invalid = () => ReceiveMessageAsync(socket);
        await invalid.Should().ThrowAsync<WebSocketException>();

        using var fresh = await ConnectAsync(server);
        await SendAsync(fresh, Create("""{"store":false,"input":"after"}"""));
        FinalText(await ReadResponseAsync(fresh)).Should().Be("You said: after");
    }

    [Fact]
    public async Task Over_sse_each_frame_is_one_data_event_typed_when_it_is_a_json_event()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        const string multiLine = "line one\nline two";
        server.Model.Enqueue(ScriptedReply.FromRawFrames(
            RawFrame.Text(Created), RawFrame.Text("{not json"), RawFrame.Binary([1, 2]), RawFrame.Text(multiLine), RawFrame.TextBytes([0xFF, 0x41]), RawFrame.Text(Completed)));
        using var http = new HttpClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, ResponsesUrl(server)) { Content = Json("""{"stream":true,"store":false,"input":"sse"}""") };
        using var response = await http.SendAsync(request).Bounded();
        var body = await response.Content.ReadAsByteArrayAsync();

        // The undecodable bytes reach the wire as given (an SSE reader would substitute U+FFFD for them).
        byte[] undecodable = [.. "data: "u8, 0xFF, 0x41, (byte)'\n', (byte)'\n'];
        body.AsSpan().IndexOf(undecodable).Should().BePositive();
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(new MemoryStream(body)).EnumerateAsync())
        {
            items.Add(item);
        }

        items.Select(item => item.Data).Should().Equal(Created, "{not json", multiLine, "\uFFFDA", Completed);
        items.Select(item => item.EventType).Should().Equal("response.created", "message", "message", "message", "response.completed");
    }

    [Fact]
    public async Task Non_streaming_http_returns_the_terminal_response_object_or_a_500_without_one()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Model.Enqueue(ScriptedReply.FromRawEvents([Created, Completed]));
        server.Model.Enqueue(ScriptedReply.FromRawEvents([Created, "{not json"]));
        using var http = new HttpClient();

        using var first = await http.PostAsync(ResponsesUrl(server), Json("""{"store":false,"input":"a"}""")).Bounded();
        first.StatusCode.Should().Be(HttpStatusCode.OK);
        (await first.Content.ReadAsStringAsync()).Should().Be(JsonElement.Parse(Completed).GetProperty("response").GetRawText());

        using var second = await http.PostAsync(ResponsesUrl(server), Json("""{"store":false,"input":"b"}""")).Bounded();
        second.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        JsonElement.Parse(await second.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("type").GetString().Should().Be("server_error");
    }

    [Fact]
    public async Task Delivery_faults_count_raw_frames()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Model.Enqueue(ScriptedReply.FromRawEvents(RecordedLike));
        server.Faults.DropConnectionAfterEvents(2);
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"store":false,"input":"x"}"""));
        Encoding.UTF8.GetString((await ReceiveMessageAsync(socket)).Bytes).Should().Be(RecordedLike[0]);
        Encoding.UTF8.GetString((await ReceiveMessageAsync(socket)).Bytes).Should().Be(RecordedLike[1]);
        var next = () => ReceiveMessageAsync(socket);
        (await next.Should().ThrowAsync<WebSocketException>()).Which.WebSocketErrorCode.Should().Be(WebSocketError.ConnectionClosedPrematurely);
    }
}
