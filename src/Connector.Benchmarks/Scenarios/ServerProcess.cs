using System.Diagnostics;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>
/// The scenario server in a child process (<c>--server-process</c>), so the runner's process CPU time and allocated bytes
/// are the client's alone. The child is this same program with the argument <c>serve</c>; it prints its base address and
/// stops when its standard input closes.
/// </summary>
internal sealed class ServerProcess(Process process, Uri baseUri) : IScenarioServer
{
    public Uri BaseUri => baseUri;

    public Uri WebSocketUri => new($"ws://{baseUri.Authority}/v1/responses");

    public static async Task<IScenarioServer> StartAsync()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Under `dotnet Connector.Benchmarks.dll` the process path is dotnet itself: pass the assembly again.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        start.ArgumentList.Add("serve");
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new ServerProcess(process, new Uri(line ?? throw new InvalidOperationException("The server process exited before it started.")));
    }

    /// <summary>The child's side: serve until standard input closes.</summary>
    public static async Task<int> ServeAsync()
    {
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { RecordRequests = false });
        server.Model.Responder = ScenarioModel.Reply;
        Console.WriteLine(server.BaseUri);
        await Console.In.ReadToEndAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.Dispose();
    }
}
