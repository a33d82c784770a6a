using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Security;

/// <summary>Secrets in the endpoint URL (query string, user info) never reach logs or exception messages.</summary>
public class RedactionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Query_and_user_info_secrets_are_redacted_in_every_log_line()
    {
        var logs = new CapturingLoggerFactory();
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { ApiKey = "test-key" });
        await using var client = new ResponsesWebSocketChatClient(
            new() { Endpoint = SecretEndpoint(server.BaseUri), ApiKey = "test-key", Model = "m" }, logs);

        (await client.GetResponseAsync("hi").WaitAsync(Patience)).Text.Should().Be("You said: hi");

        logs.Entries.Should().Contain(e => e.EventName == "Connected" && e.Message.Contains("api-key=redacted"));
        foreach (var entry in logs.Entries)
        {
            entry.Message.Should().NotContain("sk-secret").And.NotContain("hunter2");
            entry.Values.Should().NotContain(v => v.Contains("sk-secret") || v.Contains("hunter2"));
        }
    }

    [Fact]
    public async Task Query_and_user_info_secrets_are_redacted_in_connection_failures()
    {
        Uri endpoint;
        await using (var server = await LocalResponsesServer.StartAsync())
        {
            endpoint = SecretEndpoint(server.BaseUri);
        }

        var logs = new CapturingLoggerFactory();
        await using var client = new ResponsesWebSocketChatClient(new() { Endpoint = endpoint, Model = "m" }, logs);
        var act = () => client.GetResponseAsync("hi").WaitAsync(Patience);

        var error = (await act.Should().ThrowAsync<ResponsesException>()).Which;
        error.Kind.Should().Be(ResponsesErrorKind.ConnectionFailed);
        error.Message.Should().Contain("api-key=redacted").And.NotContain("sk-secret").And.NotContain("hunter2");
        logs.Entries.Should().NotContain(e => e.Message.Contains("sk-secret") || e.Message.Contains("hunter2"));
    }

    private static Uri SecretEndpoint(Uri baseUri) =>
        new UriBuilder(baseUri) { UserName = "user", Password = "hunter2", Query = "api-key=sk-secret" }.Uri;
}
