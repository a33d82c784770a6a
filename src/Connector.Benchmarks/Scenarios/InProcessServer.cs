using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>The scenario server in this process: what the issue asks for, but its CPU and allocations count with the client's.</summary>
internal sealed class InProcessServer(LocalResponsesServer server) : IScenarioServer
{
    public Uri BaseUri => server.BaseUri;

    public Uri WebSocketUri => server.WebSocketUri;

    public static async Task<IScenarioServer> StartAsync()
    {
        var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { RecordRequests = false });
        server.Model.Responder = ScenarioModel.Reply;
        return new InProcessServer(server);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
