using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>
/// <see cref="ResponsesTransport.Auto"/>: WebSocket mode, and HTTP with server-sent events when the upgrade is refused
/// with 426, 404 or 405: sticky for <see cref="ResponsesWebSocketChatClientOptions.HttpFallbackDuration"/>, logged once,
/// never for 401.
/// </summary>
public class TransportFallbackTests
{
    private static readonly AIFunction Add = AIFunctionFactory.Create((int a, int b) => a + b, "add");

    [Theory]
    [InlineData(426)]
    [InlineData(404)]
    [InlineData(405)]
    public async Task A_tool_loop_against_a_server_that_refuses_every_upgrade_completes_over_http(int status)
    {
        await using var fixture = await ServerFixture.StartAsync();
        fixture.Server.RefuseWebSocketUpgrades = status;
        using var logs = new CapturingLoggerFactory();
        var inner = new ResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions
        {
            Endpoint = fixture.Server.BaseUri,
            ApiKey = fixture.Server.ApiKey,
            Model = "local-model",
            EncryptedReasoning = EncryptedReasoningMode.Never,
        }, logs);
        await using var _ = inner;
        var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":1,"b":2}""")));
        fixture.Server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("add", """{"a":3,"b":4}""")));

        var response = await client.GetResponseAsync("add twice", new ChatOptions { Tools = [Add] }).Bounded();
        var next = await client.GetResponseAsync("and now?", new ChatOptions { ConversationId = response.ConversationId }).Bounded();

        response.Text.Should().Be("Tool results: 3, 7");
        next.Text.Should().Be("You said: and now?");
        fixture.Server.Requests.Select(r => r.Transport).Should().AllBe("http").And.HaveCount(4);
        fixture.Server.RefusedUpgradeCount.Should().Be(1, "the fallback is sticky: one refused upgrade, not one per turn");
        fixture.Server.HandshakeCount.Should().Be(0);
        inner.IsFallingBackToHttp.Should().BeTrue();
        logs.Entries.Where(e => e.EventName == "FallingBackToHttp").Should().ContainSingle()
            .Which.Values.Should().Contain("StatusCode=" + status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task After_the_fallback_period_the_next_new_channel_tries_websocket_mode_again()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var clock = new ManualTimeProvider();
        var sent = new List<ResponsesRequestInfo>();
        var client = fixture.CreateClient(o => { o.TimeProvider = clock; o.HttpFallbackDuration = TimeSpan.FromMinutes(5); o.RequestSent = sent.Add; });
        using var fallbacks = new MetricCollector<long>(client.GetService<System.Diagnostics.Metrics.Meter>()!, "responses_websocket.transport_fallbacks");
        fixture.Server.Faults.RejectNextHandshake(426);

        var first = await client.GetResponseAsync("one").Bounded();
        clock.Advance(TimeSpan.FromMinutes(4));
        var second = await client.GetResponseAsync("two", new ChatOptions { ConversationId = first.ConversationId }).Bounded();
        clock.Advance(TimeSpan.FromMinutes(2));
        var third = await client.GetResponseAsync("three", new ChatOptions { ConversationId = second.ConversationId }).Bounded();
        var fourth = await client.GetResponseAsync("four", new ChatOptions { ConversationId = third.ConversationId }).Bounded();

        fourth.Text.Should().Be("You said: four");
        fixture.Server.Requests.Select(r => r.Transport).Should().Equal("http", "http", "websocket", "websocket");
        sent.Select(s => s.Status).Should().Equal(ChainStatus.NewConversation, ChainStatus.NotCachedOnSocket, ChainStatus.NotCachedOnSocket, ChainStatus.Chained);
        fixture.Server.HandshakeCount.Should().Be(1);
        client.IsFallingBackToHttp.Should().BeFalse();
        fallbacks.GetMeasurementSnapshot().Should().ContainSingle().Which.Tags["http.response.status_code"].Should().Be(426);
    }

    [Fact]
    public async Task A_wrong_key_never_falls_back_it_surfaces_as_the_rejected_upgrade()
    {
        await using var fixture = await ServerFixture.StartAsync(apiKey: "right");
        var client = fixture.CreateClient(o => o.ApiKey = "wrong");

        var act = () => client.GetResponseAsync("hi").Bounded();

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.HandshakeRejected);
        error.StatusCode.Should().Be(401);
        fixture.Server.Requests.Should().BeEmpty("no HTTP request is tried with a rejected key");
        client.IsFallingBackToHttp.Should().BeFalse();
    }

    [Fact]
    public async Task WebSocket_only_surfaces_a_refused_upgrade_instead_of_falling_back()
    {
        await using var fixture = await ServerFixture.StartAsync();
        fixture.Server.RefuseWebSocketUpgrades = 426;
        var client = fixture.CreateClient(o => o.Transport = ResponsesTransport.WebSocket);

        var act = () => client.GetResponseAsync("hi").Bounded();

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.HandshakeRejected);
        error.StatusCode.Should().Be(426);
        error.IsTransient.Should().BeFalse();
        fixture.Server.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_transient_upgrade_failure_is_retried_not_a_reason_to_fall_back()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.RetryPolicy = new ExponentialBackoffRetryPolicy { InitialDelay = TimeSpan.Zero });
        fixture.Server.Faults.RejectNextHandshake(503);

        (await client.GetResponseAsync("hi").Bounded()).Text.Should().Be("You said: hi");

        fixture.Server.Requests.Select(r => r.Transport).Should().Equal("websocket");
        client.IsFallingBackToHttp.Should().BeFalse();
    }
}
