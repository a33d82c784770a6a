using BenchmarkDotNet.Running;

// dotnet run -c Release --project src/Connector.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
