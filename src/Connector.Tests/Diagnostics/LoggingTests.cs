using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Tests.Diagnostics;

/// <summary>Logs carry the exception (with its stack), and never the key.</summary>
public class LoggingTests
{
    private const string Key = "sk-live-SECRET-7f3a9c";
    private const string WrongKey = "sk-wrong-SECRET-b81e44";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly ExponentialBackoffRetryPolicy OneImmediateRetry = new() { MaxRetries = 1, InitialDelay = TimeSpan.Zero };

    [Fact]
    public async Task Failures_are_logged_with_their_exception()
    {
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { ApiKey = Key });
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
        await using var client = new ResponsesWebSocketChatClient(new() { Endpoint = server.BaseUri, ApiKey = Key, Model = "m", RetryPolicy = OneImmediateRetry }, loggers);
        server.Faults.RejectNextHandshake(503);
        server.Faults.RejectNextHandshake(503);

        var act = () => client.GetResponseAsync("hello").WaitAsync(Timeout);
        var thrown = (await act.Should().ThrowAsync<ResponsesException>()).Which;

        var records = collector.GetSnapshot();
        records.Single(r => r.Id.Name == "RetryingConnect").Exception.Should().BeOfType<ResponsesException>();
        records.Where(r => r.Id.Name == "HandshakeRejected").Should().HaveCount(2).And.OnlyContain(r => r.Exception != null);
        thrown.StatusCode.Should().Be(503);
    }

    [Fact]
    public async Task The_key_never_appears_in_any_log_record_or_exception()
    {
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { ApiKey = Key });
        var collector = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));
        await using var good = new ResponsesWebSocketChatClient(new() { Endpoint = server.BaseUri, ApiKey = Key, Model = "m" }, loggers);
        await using var bad = new ResponsesWebSocketChatClient(new() { Endpoint = server.BaseUri, TokenProvider = _ => ValueTask.FromResult(WrongKey), Model = "m" }, loggers);
        await using var azure = new ResponsesWebSocketChatClient(new() { Endpoint = new Uri(server.BaseUri, "/openai/v1"), ApiKey = Key, ApiKeyHeader = ApiKeyHeader.ApiKey, Model = "m" }, loggers);

        var first = await good.GetResponseAsync("hello").WaitAsync(Timeout);
        await good.GetResponseAsync("again", new ChatOptions { ConversationId = first.ConversationId }).WaitAsync(Timeout);
        await azure.GetResponseAsync("hello").WaitAsync(Timeout);
        var act = () => bad.GetResponseAsync("hello").WaitAsync(Timeout);
        var rejected = (await act.Should().ThrowAsync<ResponsesException>()).Which;

        var records = collector.GetSnapshot();
        records.Should().Contain(r => r.Id.Name == "Connected").And.Contain(r => r.Id.Name == "HandshakeRejected");
        var everything = string.Join('\n', records.Select(r => $"{r.Message} {r.Exception} {string.Join(',', r.StructuredState ?? [])}")) + rejected;
        everything.Should().NotContain("SECRET", "neither the key nor the rejected token may be logged");
        rejected.StatusCode.Should().Be(401);
    }
}
