using Microsoft.Extensions.AI;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Security;

/// <summary>
/// What the constructor refuses before any traffic: a key that would travel in clear, header values with control
/// characters. Nothing here opens a socket, so nothing is sent off loopback.
/// </summary>
public class ConstructionSecurityTests
{
    [Theory]
    [InlineData("http://api.example.com/v1", null)]
    [InlineData("http://10.0.0.5:8080/v1", null)]
    [InlineData("http://[fd00::1]/v1", null)]
    [InlineData("https://api.openai.com/v1", "ws://gateway.internal/v1/responses")]
    public void An_unencrypted_remote_endpoint_is_refused_at_construction(string endpoint, string? webSocketEndpoint)
    {
        var act = () => new ResponsesWebSocketChatClient(new()
        {
            Endpoint = new Uri(endpoint),
            WebSocketEndpoint = webSocketEndpoint is null ? null : new Uri(webSocketEndpoint),
            ApiKey = "sk-secret",
        });

        act.Should().Throw<ArgumentException>()
            .WithMessage("*clear text*").WithMessage("*DangerouslyAllowUnencryptedRemoteEndpoint*")
            .Which.Message.Should().NotContain("sk-secret");
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/v1")]
    [InlineData("http://127.8.9.10:5000/v1")]
    [InlineData("http://localhost:5000/v1")]
    [InlineData("http://[::1]:5000/v1")]
    public void An_unencrypted_loopback_endpoint_is_allowed(string endpoint)
    {
        using var client = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri(endpoint), ApiKey = "k" });

        client.WebSocketUri.Scheme.Should().Be("ws");
    }

    [Fact]
    public void The_explicit_opt_in_allows_an_unencrypted_remote_endpoint()
    {
        using var client = new ResponsesWebSocketChatClient(new()
        {
            Endpoint = new Uri("http://gateway.internal/v1"),
            ApiKey = "k",
            DangerouslyAllowUnencryptedRemoteEndpoint = true,
        });

        client.WebSocketUri.Should().Be(new Uri("ws://gateway.internal/v1/responses"));
    }

    [Theory]
    [InlineData("sk-abc\r\nX-Injected: 1", null, null, "ApiKey")]
    [InlineData("sk-abc\n", null, null, "ApiKey")]
    [InlineData("sk-abc", "org-1\rX: y", null, "Organization")]
    [InlineData("sk-abc", null, "proj\u0000", "Project")]
    [InlineData("sk-abc", null, "proj\u007f", "Project")]
    [InlineData("sk-\u00e9", null, null, "ApiKey")]
    public void Control_characters_in_header_values_are_refused_at_construction(string key, string? organization, string? project, string option)
    {
        var act = () => new ResponsesWebSocketChatClient(new()
        {
            Endpoint = new Uri("https://api.openai.com/v1"),
            ApiKey = key,
            Organization = organization,
            Project = project,
        });

        act.Should().Throw<ArgumentException>().WithMessage($"{option} contains*")
            .Which.Message.Should().NotContain(key.Trim());
    }

    [Theory]
    [InlineData("https://api.openai.com/v1/responses", "wss://api.openai.com/v1/responses")]
    [InlineData("https://api.openai.com/v1/responses/", "wss://api.openai.com/v1/responses")]
    [InlineData("https://res.openai.azure.com/openai/v1/responses?api-version=preview", "wss://res.openai.azure.com/openai/v1/responses?api-version=preview")]
    public void An_endpoint_that_already_ends_in_responses_is_not_doubled(string endpoint, string expected) =>
        WebSocketEndpoint.FromHttpBase(new Uri(endpoint)).Should().Be(new Uri(expected));

    [Fact]
    public void Provider_uri_in_the_metadata_carries_no_query_secret_or_user_info()
    {
        using var client = new ResponsesWebSocketChatClient(new()
        {
            Endpoint = new Uri("https://user:hunter2@gw.example/v1?api-key=sk-secret&api-version=2025-04-01&sig=abc"),
            ApiKey = "k",
            Model = "m",
        });

        var metadata = client.GetService<ChatClientMetadata>()!;

        var text = metadata.ProviderUri!.ToString();
        text.Should().NotContain("sk-secret").And.NotContain("hunter2").And.NotContain("user").And.NotContain("abc");
        text.Should().Be("https://gw.example/v1?api-key=redacted&api-version=2025-04-01&sig=redacted");
    }

    [Fact]
    public void Validation_messages_carry_no_query_secret()
    {
        var act = () => new ResponsesWebSocketChatClient(new() { Endpoint = new Uri("https://gw.example/v1?api-key=sk-secret") });

        act.Should().Throw<ArgumentException>().WithMessage("*ApiKey is required*")
            .Which.Message.Should().NotContain("sk-secret");
    }
}
