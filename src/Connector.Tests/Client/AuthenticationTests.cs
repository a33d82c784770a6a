using Microsoft.Extensions.AI;
using ResponsesWebSocket.Tests.Support;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>What the upgrade carries: token provider per handshake, Azure's api-key header and base URL, extra headers, hooks.</summary>
public class AuthenticationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Token_provider_is_asked_again_for_the_handshake_that_replaces_a_dropped_socket()
    {
        await using var fixture = await ServerFixture.StartAsync(apiKey: null);
        var issued = 0;
        var client = fixture.CreateClient(o =>
        {
            o.ApiKey = "static-key-not-used";
            o.TokenProvider = _ => ValueTask.FromResult($"token-{Interlocked.Increment(ref issued)}");
        });
        fixture.Server.Faults.DropConnectionAfterEvents(0);

        var response = await client.GetResponseAsync("hello").WaitAsync(Timeout);

        response.Text.Should().NotBeEmpty();
        fixture.Server.HandshakeHeaders.Select(h => h["Authorization"]).Should().Equal("Bearer token-1", "Bearer token-2");
    }

    [Fact]
    public async Task Rotated_token_reaches_the_next_connection_and_the_server_checks_it()
    {
        await using var fixture = await ServerFixture.StartAsync(apiKey: "current-key");
        var key = "current-key";
        var client = fixture.CreateClient(o => { o.ApiKey = null; o.TokenProvider = _ => ValueTask.FromResult(key); o.MaxConnections = 1; });
        await client.GetResponseAsync("one").WaitAsync(Timeout);

        key = "revoked-key";
        fixture.Server.Faults.DropConnectionAfterEvents(0);
        var act = () => client.GetResponseAsync("two").WaitAsync(Timeout);

        (await act.Should().ThrowAsync<ResponsesException>()).Which.StatusCode.Should().Be(401, "the replacement socket presented the rotated (wrong) key");
    }

    [Fact]
    public async Task Failing_token_provider_surfaces_as_a_connection_failure_with_its_exception()
    {
        await using var fixture = await ServerFixture.StartAsync(apiKey: null);
        var boom = new InvalidOperationException("credential unavailable");
        var client = fixture.CreateClient(o => o.TokenProvider = _ => throw boom);

        var act = () => client.GetResponseAsync("hello").WaitAsync(Timeout);

        var thrown = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        thrown.Kind.Should().Be(ResponsesErrorKind.ConnectionFailed);
        thrown.InnerException.Should().BeSameAs(boom);
        fixture.Server.HandshakeCount.Should().Be(0);
    }

    [Fact]
    public async Task Azure_v1_base_with_the_api_key_header_works_against_the_local_server()
    {
        await using var fixture = await ServerFixture.StartAsync(apiKey: "azure-key");
        var azureBase = new Uri(fixture.Server.BaseUri, "/openai/v1");
        var client = fixture.CreateClient(o => { o.Endpoint = azureBase; o.ApiKey = "azure-key"; o.ApiKeyHeader = ApiKeyHeader.ApiKey; });

        var response = await client.GetResponseAsync("hello").WaitAsync(Timeout);

        client.WebSocketUri.AbsolutePath.Should().Be("/openai/v1/responses");
        response.Text.Should().NotBeEmpty();
        var headers = fixture.Server.HandshakeHeaders.Should().ContainSingle().Subject;
        headers.Should().Contain("api-key", "azure-key").And.NotContainKey("Authorization");
    }

    [Theory]
    [InlineData("https://my-resource.openai.azure.com", "wss://my-resource.openai.azure.com/openai/v1/responses")]
    [InlineData("https://my-resource.openai.azure.com/", "wss://my-resource.openai.azure.com/openai/v1/responses")]
    [InlineData("https://my-resource.cognitiveservices.azure.com/", "wss://my-resource.cognitiveservices.azure.com/openai/v1/responses")]
    [InlineData("https://my-resource.openai.azure.com/openai/v1/", "wss://my-resource.openai.azure.com/openai/v1/responses")]
    [InlineData("https://gateway.example/", "wss://gateway.example/responses")]
    public void Azure_resource_url_gets_its_v1_base(string endpoint, string expected) =>
        WebSocketEndpoint.FromHttpBase(new Uri(endpoint)).Should().Be(new Uri(expected));

    [Fact]
    public async Task Upgrade_carries_user_agent_extra_headers_and_the_hooks()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var handlers = new List<SocketsHttpHandler>();
        var client = fixture.CreateClient(o =>
        {
            o.Organization = "org-1";
            o.AdditionalHeaders["X-Tenant"] = "contoso";
            o.ConfigureWebSocket = ws => ws.SetRequestHeader("X-From-Hook", "yes");
            o.ConfigureHttpHandler = handlers.Add;
        });

        await client.GetResponseAsync("hello").WaitAsync(Timeout);

        var headers = fixture.Server.HandshakeHeaders.Should().ContainSingle().Subject;
        headers["User-Agent"].Should().MatchRegex(@"^ResponsesWebSocket/\d+\.\d+\.\d+[^ ]* \(\.NET \d+\.");
        headers.Should().Contain("Authorization", "Bearer test-key")
            .And.Contain("OpenAI-Organization", "org-1")
            .And.Contain("X-Tenant", "contoso")
            .And.Contain("X-From-Hook", "yes");
        handlers.Should().ContainSingle();
    }

    [Fact]
    public async Task Extra_headers_are_copied_at_construction()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var options = new ResponsesWebSocketChatClientOptions { Endpoint = fixture.Server.BaseUri, ApiKey = fixture.Server.ApiKey, Model = "m" };
        options.AdditionalHeaders["X-Tenant"] = "before";
        await using var client = new ResponsesWebSocketChatClient(options);
        options.AdditionalHeaders["X-Tenant"] = "after";

        await client.GetResponseAsync("hello").WaitAsync(Timeout);

        fixture.Server.HandshakeHeaders.Single()["X-Tenant"].Should().Be("before");
    }

    [Fact]
    public void AllowNoApiKey_accepts_a_keyless_remote_gateway()
    {
        using var client = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("https://llm-gateway.internal/v1"), AllowNoApiKey = true });

        client.WebSocketUri.Should().Be(new Uri("wss://llm-gateway.internal/v1/responses"));
    }
}
