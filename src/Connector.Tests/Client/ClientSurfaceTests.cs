using Microsoft.Extensions.AI;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>Options validation, URL derivation and GetService.</summary>
public class ClientSurfaceTests
{
    [Theory]
    [InlineData("https://api.openai.com/v1", "wss://api.openai.com/v1/responses")]
    [InlineData("https://api.openai.com/v1/", "wss://api.openai.com/v1/responses")]
    [InlineData("http://localhost:8080/v1", "ws://localhost:8080/v1/responses")]
    [InlineData("https://res.openai.azure.com/openai/v1", "wss://res.openai.azure.com/openai/v1/responses")]
    [InlineData("https://gw.example/v1?api-version=preview", "wss://gw.example/v1/responses?api-version=preview")]
    public void WebSocket_url_is_derived_from_the_http_base(string endpoint, string expected) =>
        WebSocketEndpoint.FromHttpBase(new Uri(endpoint)).Should().Be(new Uri(expected));

    [Fact]
    public void Missing_key_for_a_remote_endpoint_is_rejected()
    {
        var act = () => new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("https://api.openai.com/v1"), Model = "m" });

        act.Should().Throw<ArgumentException>().WithMessage("*ApiKey*");
    }

    [Fact]
    public void Missing_key_for_a_loopback_endpoint_is_allowed()
    {
        using var client = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("http://127.0.0.1:5000/v1") });

        client.WebSocketUri.Should().Be(new Uri("ws://127.0.0.1:5000/v1/responses"));
    }

    [Fact]
    public void Relative_endpoint_is_rejected()
    {
        var act = () => new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("/v1", UriKind.Relative), ApiKey = "k" });

        act.Should().Throw<ArgumentException>().WithMessage("*absolute*");
    }

    [Fact]
    public void Non_http_scheme_is_rejected()
    {
        var act = () => new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("ftp://example.com/v1"), ApiKey = "k" });

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Explicit_websocket_endpoint_overrides_the_derived_one()
    {
        using var client = new ResponsesWebSocketChatClient(new()
        {
            Endpoint = new Uri("https://api.openai.com/v1"),
            WebSocketEndpoint = new Uri("wss://proxy.example/responses"),
            ApiKey = "k",
        });

        client.WebSocketUri.Should().Be(new Uri("wss://proxy.example/responses"));
    }

    [Fact]
    public void Options_are_copied_at_construction()
    {
        var options = new ResponsesWebSocketChatClientOptions { Endpoint = new Uri("https://api.openai.com/v1"), ApiKey = "k", Model = "a" };
        using var client = new ResponsesWebSocketChatClient(options);

        options.Model = "b";

        client.GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("a");
    }

    [Fact]
    public void GetService_returns_metadata_and_itself_and_nothing_else()
    {
        using var client = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("https://api.openai.com/v1"), ApiKey = "k", Model = "gpt-5.2" });

        var metadata = client.GetService<ChatClientMetadata>()!;
        metadata.ProviderName.Should().Be("openai");
        metadata.ProviderUri.Should().Be(new Uri("https://api.openai.com/v1"));
        metadata.DefaultModelId.Should().Be("gpt-5.2");
        client.GetService<IChatClient>().Should().BeSameAs(client);
        client.GetService<ResponsesWebSocketChatClient>().Should().BeSameAs(client);
        client.GetService<FunctionInvokingChatClient>().Should().BeNull();
        client.GetService(typeof(string)).Should().BeNull();
        client.GetService(typeof(ChatClientMetadata), serviceKey: "key").Should().BeNull();
    }

    [Fact]
    public async Task Missing_model_fails_at_the_call_with_a_clear_message()
    {
        using var client = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("http://127.0.0.1:9/v1") });

        var act = () => client.GetResponseAsync("hi");

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*model*");
    }

    [Fact]
    public async Task Disposed_client_refuses_calls()
    {
        var client = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("http://127.0.0.1:9/v1"), Model = "m" });
        await client.DisposeAsync();

        var act = () => client.GetResponseAsync("hi");

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }
}
