using BenchmarkDotNet.Running;
using ResponsesWebSocket.Benchmarks.Scenarios;

// Scenario runner (tool loops against the official client and a floor):
//   dotnet run -c Release --project src/Connector.Benchmarks -- scenarios [--runs N] [--quick] [--server-process] [--out FILE]
// Load run (many concurrent tool loops through one client, with drops and refused upgrades):
//   dotnet run -c Release --project src/Connector.Benchmarks -- load [--conversations N] [--turns N] [--max-connections N] [--seed N] [--fallback-ms N] [--transport auto|websocket|http]
// BenchmarkDotNet micro-benchmarks:
//   dotnet run -c Release --project src/Connector.Benchmarks -- --filter '*'
if (args.Length > 0 && args[0] == "scenarios")
{
    return await ScenarioRunner.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "load")
{
    return await ResponsesWebSocket.Benchmarks.Load.LoadCommand.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "serve")
{
    // The child process of `scenarios --server-process`.
    return await ServerProcess.ServeAsync();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
