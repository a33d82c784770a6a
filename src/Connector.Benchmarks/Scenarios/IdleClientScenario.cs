using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>
/// <c>scenarios --idle N</c>: the managed memory an idle, connected client holds. N clients each make one call (so each
/// has one open socket and one tracked response) and then sit idle; the live heap after a full collection, minus the
/// heap before they were created, divided by N. Run with <c>--server-process</c> so the server's heap is not counted.
/// </summary>
internal static class IdleClientScenario
{
    public static async Task<string> RunAsync(IScenarioServer server, int clients)
    {
        // Warm everything process-wide (JIT, pools, the shared ArrayPool's first buffers) with one throwaway client.
        await using (var warm = Create(server))
        {
            await warm.GetResponseAsync([new ChatMessage(ChatRole.User, ScenarioModel.Prompt(0))]);
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var live = new List<ResponsesWebSocketChatClient>();
        for (var i = 0; i < clients; i++)
        {
            var client = Create(server);
            await client.GetResponseAsync([new ChatMessage(ChatRole.User, ScenarioModel.Prompt(0))]);
            live.Add(client);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var sockets = live.Sum(c => c.ConnectionsOpened);
        foreach (var client in live) await client.DisposeAsync();

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"### Idle connected clients: {clients} clients, {sockets} open sockets");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Live managed heap per idle client (one open socket, one tracked response): **{(after - before) / (double)clients / 1024:F1} KB** (GC.GetTotalMemory after a full collection; buffers rented from the shared ArrayPool count while a socket holds them).");
        return text.ToString();
    }

    private static ResponsesWebSocketChatClient Create(IScenarioServer server) => new(new ResponsesWebSocketChatClientOptions
    {
        Endpoint = server.BaseUri,
        Model = "local-model",
        EncryptedReasoning = EncryptedReasoningMode.Never,
    });
}
