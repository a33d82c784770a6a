using Microsoft.Extensions.AI;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>Bad input from the server: each gives a typed exception, nothing hangs, and the next call works.</summary>
public class ErrorTests
{
    [Fact]
    public async Task Error_event_before_output_throws_with_the_service_details_and_the_next_call_works()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.ErrorOnNextCreate("rate_limit_exceeded", "slow down", status: 429, type: "requests", param: "model");

        var act = () => ServerFixture.CollectAsync(client.GetStreamingResponseAsync("hi"));

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.ServiceError);
        error.Code.Should().Be("rate_limit_exceeded");
        error.Message.Should().Be("slow down");
        error.StatusCode.Should().Be(429);
        error.ErrorType.Should().Be("requests");
        error.Param.Should().Be("model");
        error.OutputSurfaced.Should().BeFalse();
        error.IsTransient.Should().BeTrue();
        (await client.GetResponseAsync("again")).Text.Should().Be("You said: again");
    }

    [Fact]
    public async Task Failed_response_throws_response_failed_and_the_next_call_works()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.FailNextResponse("server_error", "The model crashed.");

        var act = () => client.GetResponseAsync("hi");

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.ResponseFailed);
        error.Code.Should().Be("server_error");
        error.Message.Should().Be("The model crashed.");
        error.ResponseId.Should().StartWith("resp_");
        (await client.GetResponseAsync("again")).Text.Should().Be("You said: again");
    }

    [Fact]
    public async Task Error_then_failed_surfaces_one_error_and_drops_the_second_terminal()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.ErrorThenFailedOnNextResponse("insufficient_quota", "You exceeded your current quota.");

        var act = () => client.GetResponseAsync("hi");

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Code.Should().Be("insufficient_quota");
        (await client.GetResponseAsync("again")).Text.Should().Be("You said: again");
        fixture.Server.HandshakeCount.Should().Be(1, "an error event does not require a new socket");
    }

    [Fact]
    public async Task Socket_drop_after_output_yields_error_content_then_throws_and_the_next_call_reconnects()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.DropConnectionAfterEvents(6);
        var received = new List<ChatResponseUpdate>();

        var act = async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("a fairly long prompt to stream back")) received.Add(update);
        };

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.ConnectionClosed);
        error.OutputSurfaced.Should().BeTrue();
        received.Should().Contain(u => u.Text.Length > 0);
        received[^1].Contents.Should().ContainSingle().Which.Should().BeOfType<ErrorContent>()
            .Which.ErrorCode.Should().Be(nameof(ResponsesErrorKind.ConnectionClosed));
        (await client.GetResponseAsync("again")).Text.Should().Be("You said: again");
        fixture.Server.HandshakeCount.Should().Be(2);
    }

    [Fact]
    public async Task Socket_drop_before_any_event_is_retried_once_on_a_new_socket()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.DropConnectionAfterEvents(0);

        var response = await client.GetResponseAsync("hello");

        response.Text.Should().Be("You said: hello");
        fixture.Server.HandshakeCount.Should().Be(2);
        fixture.Server.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Graceful_close_mid_response_throws_connection_closed()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.CloseConnectionAfterEvents(5, description: "going away");

        var act = () => client.GetResponseAsync("some words to stream");

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.ConnectionClosed);
        (await client.GetResponseAsync("again")).Text.Should().Be("You said: again");
    }

    [Fact]
    public async Task Malformed_json_frame_is_a_protocol_violation_and_the_next_call_works()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.SendRawBeforeNextResponse("{\"type\":\"response.created\",");

        var act = () => client.GetResponseAsync("hi");

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.ProtocolViolation);
        (await client.GetResponseAsync("again")).Text.Should().Be("You said: again");
        fixture.Server.HandshakeCount.Should().Be(2, "a socket that delivered garbage is not reused");
    }

    [Fact]
    public async Task Binary_frame_is_a_protocol_violation_and_the_next_call_works()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.SendBinaryBeforeNextResponse([1, 2, 3]);

        var act = () => client.GetResponseAsync("hi");

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Message.Should().Contain("binary");
        (await client.GetResponseAsync("again")).Text.Should().Be("You said: again");
    }

    [Fact]
    public async Task Rejected_upgrade_carries_the_status_code_and_message_from_the_body()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.RejectNextHandshake(401,
            """{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");

        var act = () => client.GetResponseAsync("hi");

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.HandshakeRejected);
        error.StatusCode.Should().Be(401);
        error.Code.Should().Be("invalid_api_key");
        error.Message.Should().Be("Incorrect API key provided.");
        error.IsTransient.Should().BeFalse();
        (await client.GetResponseAsync("again")).Text.Should().Be("You said: again");
    }

    [Fact]
    public async Task A_transient_upgrade_failure_is_retried_once()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Faults.RejectNextHandshake(503);

        var response = await client.GetResponseAsync("hi");

        response.Text.Should().Be("You said: hi");
        fixture.Server.HandshakeHeaders.Should().HaveCount(2);
        fixture.Server.HandshakeCount.Should().Be(1);
    }

    [Fact]
    public async Task Transient_upgrade_failures_surface_with_the_status_once_the_retry_policy_gives_up()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.RetryPolicy = new ExponentialBackoffRetryPolicy { MaxRetries = 1, InitialDelay = TimeSpan.Zero });
        fixture.Server.Faults.RejectNextHandshake(429);
        fixture.Server.Faults.RejectNextHandshake(429);
        fixture.Server.Faults.RejectNextHandshake(429);

        var act = () => client.GetResponseAsync("hi");

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.StatusCode.Should().Be(429);
        error.IsTransient.Should().BeTrue();
        fixture.Server.HandshakeHeaders.Should().HaveCount(2, "the policy allows one retry, not a retry storm");
    }

    [Fact]
    public async Task The_default_retry_policy_waits_the_servers_Retry_After_on_the_clients_clock_before_the_next_upgrade()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var clock = new ManualTimeProvider();
        var client = fixture.CreateClient(o => o.TimeProvider = clock);
        fixture.Server.Faults.RejectNextHandshake(503, retryAfter: TimeSpan.FromSeconds(3));

        var call = client.GetResponseAsync("hi");
        await clock.WaitForTimerArmedAsync().Bounded();
        fixture.Server.HandshakeHeaders.Should().HaveCount(1, "the retry waits for the clock");
        clock.Advance(TimeSpan.FromSeconds(2.9));
        call.IsCompleted.Should().BeFalse();
        fixture.Server.HandshakeHeaders.Should().HaveCount(1, "Retry-After said 3 s, not the policy's 250 ms backoff");
        clock.Advance(TimeSpan.FromSeconds(0.2));

        (await call.Bounded()).Text.Should().Be("You said: hi");
        fixture.Server.HandshakeHeaders.Should().HaveCount(2);
    }

    [Fact]
    public async Task Wrong_key_is_rejected_by_the_server_with_its_own_error()
    {
        await using var fixture = await ServerFixture.StartAsync(apiKey: "right");
        var client = fixture.CreateClient(o => o.ApiKey = "wrong");

        var act = () => client.GetResponseAsync("hi");

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.StatusCode.Should().Be(401);
        error.Code.Should().Be("invalid_api_key");
        fixture.Server.HandshakeHeaders.Should().HaveCount(1, "authentication failures are not retried");
    }

    [Fact]
    public async Task Nothing_listening_gives_connection_failed()
    {
        Uri endpoint;
        await using (var fixture = await ServerFixture.StartAsync())
        {
            endpoint = fixture.Server.BaseUri;
        }

        await using var client = new ResponsesWebSocketChatClient(new() { Endpoint = endpoint, Model = "m" });
        var act = () => client.GetResponseAsync("hi");

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.ConnectionFailed);
        error.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task Connection_limit_error_reconnects_and_completes_the_turn()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);
        await client.GetResponseAsync("warm");
        fixture.Server.Faults.ConnectionLimitOnNextCreate();

        var response = await client.GetResponseAsync("after an hour");

        response.Text.Should().Be("You said: after an hour");
        fixture.Server.HandshakeCount.Should().Be(2);
    }

    [Fact]
    public async Task Socket_older_than_the_maximum_age_is_replaced_before_the_next_send()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var clock = new ManualTimeProvider();
        var client = fixture.CreateClient(o => { o.TimeProvider = clock; o.MaxConnections = 1; });
        await client.GetResponseAsync("one");

        clock.Advance(TimeSpan.FromMinutes(54));
        await client.GetResponseAsync("two");
        fixture.Server.HandshakeCount.Should().Be(1);

        clock.Advance(TimeSpan.FromMinutes(2));
        await client.GetResponseAsync("three");
        fixture.Server.HandshakeCount.Should().Be(2);
    }
}
