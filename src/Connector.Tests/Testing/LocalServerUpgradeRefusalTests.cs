using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;
using static ResponsesWebSocket.Tests.Testing.WireClient;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>
/// A server without WebSocket mode (<see cref="LocalResponsesServer.RefuseWebSocketUpgrades"/>) and handshake
/// rejections with <c>Retry-After</c>, seen through a real <see cref="ClientWebSocket"/> and a raw upgrade request.
/// </summary>
public sealed class LocalServerUpgradeRefusalTests
{
    [Theory]
    [InlineData(426, HttpStatusCode.UpgradeRequired)]
    [InlineData(404, HttpStatusCode.NotFound)]
    [InlineData(405, HttpStatusCode.MethodNotAllowed)]
    public async Task Refused_upgrades_answer_the_status_with_a_json_error_while_http_keeps_working(int status, HttpStatusCode expected)
    {
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { RefuseWebSocketUpgrades = status });
        server.RefuseWebSocketUpgrades.Should().Be(status);

        var socketStatus = await RefusedSocketStatusAsync(server);
        socketStatus.Should().Be(expected);

        using var raw = await RawUpgradeAsync(server);
        raw.StatusCode.Should().Be(expected);
        raw.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var error = JsonElement.Parse(await raw.Content.ReadAsStringAsync()).GetProperty("error");
        error.GetProperty("message").GetString().Should().Contain("WebSocket mode is not available");
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.TryGetProperty("param", out _).Should().BeTrue();
        error.TryGetProperty("code", out _).Should().BeTrue();
        raw.Headers.Contains("Retry-After").Should().BeFalse();

        var (postStatus, body) = await PostAsync(server, """{"store":false,"input":"over http"}""");
        postStatus.Should().Be(HttpStatusCode.OK);
        body.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString().Should().Be("You said: over http");

        server.RefusedUpgradeCount.Should().Be(2);
        server.HandshakeCount.Should().Be(0);
        server.OpenConnectionCount.Should().Be(0);
        server.HandshakeHeaders.Should().HaveCount(2, "refused attempts are recorded too");
        server.Requests.Should().ContainSingle().Which.Transport.Should().Be("http");
    }

    [Fact]
    public async Task A_405_refusal_names_the_method_that_works()
    {
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { RefuseWebSocketUpgrades = 405 });

        using var raw = await RawUpgradeAsync(server);

        raw.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        raw.Content.Headers.Allow.Should().Equal("POST");
    }

    [Fact]
    public async Task Refusal_can_be_switched_on_and_off_while_the_server_runs_and_spares_open_sockets()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.RefuseWebSocketUpgrades.Should().BeNull();
        using var open = await ConnectAsync(server);

        server.RefuseWebSocketUpgrades = 426;
        (await RefusedSocketStatusAsync(server)).Should().Be(HttpStatusCode.UpgradeRequired);

        // The socket opened before the switch still answers: a refusal applies to new upgrades only.
        await SendAsync(open, Create("""{"store":false,"input":"still here"}"""));
        FinalText(await ReadResponseAsync(open)).Should().Be("You said: still here");

        server.RefuseWebSocketUpgrades = null;
        using var again = await ConnectAsync(server);
        again.State.Should().Be(WebSocketState.Open);

        server.HandshakeCount.Should().Be(2);
        server.RefusedUpgradeCount.Should().Be(1);
        server.HandshakeHeaders.Should().HaveCount(3);
    }

    [Fact]
    public async Task Refusal_comes_before_handshake_faults_and_auth_and_leaves_the_fault_queued()
    {
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { ApiKey = "sk-local", RefuseWebSocketUpgrades = 404 });
        server.Faults.RejectNextHandshake(500);

        // No key at all: a server without WebSocket mode answers 404 before it looks at credentials.
        (await RefusedSocketStatusAsync(server)).Should().Be(HttpStatusCode.NotFound);
        server.Faults.PendingCount.Should().Be(1);

        server.RefuseWebSocketUpgrades = null;
        (await RefusedSocketStatusAsync(server)).Should().Be(HttpStatusCode.InternalServerError);
        (await RefusedSocketStatusAsync(server)).Should().Be(HttpStatusCode.Unauthorized);
        server.RefusedUpgradeCount.Should().Be(3);
        server.HandshakeCount.Should().Be(0);
    }

    [Fact]
    public async Task A_refusal_status_must_be_an_error_status()
    {
        var start = () => LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { RefuseWebSocketUpgrades = 200 });
        await start.Should().ThrowAsync<ArgumentOutOfRangeException>();

        await using var server = await LocalResponsesServer.StartAsync();
        var set = () => server.RefuseWebSocketUpgrades = 101;
        set.Should().Throw<ArgumentOutOfRangeException>();
        server.RefuseWebSocketUpgrades.Should().BeNull();
    }

    [Fact]
    public async Task A_rejected_handshake_can_carry_retry_after_in_whole_seconds()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.RejectNextHandshake(429, jsonBody: null, retryAfter: TimeSpan.FromSeconds(1.2));
        server.Faults.RejectNextHandshake(503, """{"error":{"message":"busy","type":"server_error","param":null,"code":null}}""", TimeSpan.FromSeconds(7));

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var connect = () => socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).Bounded();
        await connect.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        socket.HttpResponseHeaders!["Retry-After"].Should().Equal("2");

        using var raw = await RawUpgradeAsync(server);
        raw.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        raw.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7));
        JsonElement.Parse(await raw.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("message").GetString().Should().Be("busy");

        var negative = () => server.Faults.RejectNextHandshake(429, null, TimeSpan.FromSeconds(-1));
        negative.Should().Throw<ArgumentOutOfRangeException>();
        server.Faults.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task A_rejected_429_handshake_defaults_to_the_rate_limit_error()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Faults.RejectNextHandshake(429);

        using var raw = await RawUpgradeAsync(server);

        raw.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        raw.Headers.Contains("Retry-After").Should().BeFalse();
        JsonElement.Parse(await raw.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("code").GetString().Should().Be("rate_limit_exceeded");
    }

    /// <summary>Attempts a real WebSocket connect and returns the status the server refused it with.</summary>
    private static async Task<HttpStatusCode> RefusedSocketStatusAsync(LocalResponsesServer server)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var connect = () => socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).Bounded();
        await connect.Should().ThrowAsync<WebSocketException>();
        return socket.HttpStatusCode;
    }

    /// <summary>
    /// A WebSocket upgrade request sent as plain HTTP, so the refusal's body and headers can be read (a
    /// <see cref="ClientWebSocket"/> exposes only the status and headers).
    /// </summary>
    private static async Task<HttpResponseMessage> RawUpgradeAsync(LocalResponsesServer server)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, ResponsesUrl(server));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.ParseAdd("websocket");
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        var response = await http.SendAsync(request).Bounded();
        await response.Content.LoadIntoBufferAsync().Bounded();
        return response;
    }
}
