using BenchmarkDotNet.Running;
using ResponsesWebSocket.Benchmarks.Scenarios;

// Scenario runner (tool loops against the official client and a floor):
//   dotnet run -c Release --project src/Connector.Benchmarks -- scenarios [--runs N] [--quick] [--server-process] [--out FILE]
// BenchmarkDotNet micro-benchmarks:
//   dotnet run -c Release --project src/Connector.Benchmarks -- --filter '*'
if (args.Length > 0 && args[0] == "scenarios")
{
    return await ScenarioRunner.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "serve")
{
    // The child process of `scenarios --server-process`.
    return await ServerProcess.ServeAsync();
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
