using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Tests.Support;

/// <summary>Starts a local Responses server on loopback and clients pointed at it; disposes both.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private readonly List<ResponsesWebSocketChatClient> _clients = [];

    private ServerFixture(LocalResponsesServer server) => Server = server;

    public LocalResponsesServer Server { get; }

    public static async Task<ServerFixture> StartAsync(string? apiKey = "test-key") =>
        new(await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { ApiKey = apiKey }));

    public ResponsesWebSocketChatClient CreateClient(Action<ResponsesWebSocketChatClientOptions>? configure = null)
    {
        var options = new ResponsesWebSocketChatClientOptions
        {
            Endpoint = Server.BaseUri,
            ApiKey = Server.ApiKey,
            Model = "local-model",

            // local-model does not reason, and the server rejects the encrypted-reasoning include for it as the service
            // does, so Auto would add one 400 round trip to the first call of every client. Most tests count requests;
            // the negotiation itself is covered by EncryptedReasoningTests, which opt back in.
            EncryptedReasoning = EncryptedReasoningMode.Never,
        };
        configure?.Invoke(options);
        var client = new ResponsesWebSocketChatClient(options);
        _clients.Add(client);
        return client;
    }

    public static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates) list.Add(update);
        return list;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        await Server.DisposeAsync();
    }
}
