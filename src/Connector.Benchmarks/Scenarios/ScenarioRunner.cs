using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Responses;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>
/// <c>scenarios [--runs N] [--quick] [--out FILE]</c>: every cell of the tool-loop grid against every client, in one
/// process, against one in-process <see cref="LocalResponsesServer"/> on loopback, configurations interleaved run by run.
/// </summary>
internal static class ScenarioRunner
{
    private const string Model = "local-model";
    private static readonly int[] CallCounts = [20, 50];
    private static readonly int[] ResultSizes = [200, 4096];
    private static readonly bool[] StreamingModes = [true, false];

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        var runs = ArgValue(args, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : quick ? 5 : 20;
        var output = ArgValue(args, "--out");
        var separateServer = args.Contains("--server-process");
        var profile = ArgValue(args, "--profile-allocations");
        ScenarioCell[] cells = quick
            ? [new(20, 200, true), new(20, 4096, false)]
            : [.. from calls in CallCounts from bytes in ResultSizes from streaming in StreamingModes select new ScenarioCell(calls, bytes, streaming)];

        // --mode streaming|non-streaming: only the cells of that mode (to compare builds of one code path quickly).
        if (ArgValue(args, "--mode") is { } mode)
        {
            var streamingOnly = mode switch
            {
                "streaming" => true,
                "non-streaming" => false,
                _ => throw new ArgumentException($"--mode must be streaming or non-streaming, not {mode}."),
            };
            cells = [.. cells.Where(c => c.Streaming == streamingOnly)];
        }

        var report = new StringBuilder();
        var started = Stopwatch.StartNew();
        report.AppendLine(CultureInfo.InvariantCulture, $"Scenario runner: {runs} measured runs per configuration and cell, .NET {Environment.Version}, {Environment.ProcessorCount} cores, Server GC: {System.Runtime.GCSettings.IsServerGC}.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Load at start (1/5/15 min): {LoadAverage()}");
        Console.Write(report);

        await using var server = separateServer ? await ServerProcess.StartAsync() : await InProcessServer.StartAsync();
        report.AppendLine(separateServer
            ? "Server: LocalResponsesServer in a child process (CPU and allocations below are the client's alone)."
            : "Server: LocalResponsesServer in this process (CPU and allocations below include the server's work for that client).");

        var configurations = new List<ClientConfiguration>
        {
            Official(server, "MEAI.OpenAI store=false", stored: false),
            Official(server, "MEAI.OpenAI store=true", stored: true),
            Library(server, ResponsesTransport.WebSocket),
            Library(server, ResponsesTransport.Http),
            Floor(server),
        };

        try
        {
            if (ArgValue(args, "--chain") is { } chain)
            {
                var section = await ChainScenario.RunAsync(server, int.Parse(chain, CultureInfo.InvariantCulture));
                Console.Write(section);
                report.Append(section);
                if (output is not null) await File.WriteAllTextAsync(output, report.ToString());
                return 0;
            }

            if (ArgValue(args, "--idle") is { } idle)
            {
                var section = await IdleClientScenario.RunAsync(server, int.Parse(idle, CultureInfo.InvariantCulture));
                Console.Write(section);
                report.Append(section);
                if (output is not null) await File.WriteAllTextAsync(output, report.ToString());
                return 0;
            }

            if (profile is not null)
            {
                await ProfileAllocationsAsync(configurations, profile);
                return 0;
            }

            // JIT warm-up across every cell first, so the first cell measured is not the one that pays for tiering.
            for (var round = 0; round < (quick ? 1 : 3); round++)
            {
                foreach (var cell in cells)
                {
                    var tool = AIFunctionFactory.Create((int index) => ScenarioModel.Payload(cell.ResultBytes), ScenarioModel.ToolName);
                    foreach (var configuration in configurations) await configuration.RunLoopAsync(cell, tool);
                }
            }

            foreach (var cell in cells)
            {
                var section = await RunCellAsync(cell, configurations, runs, quick);
                Console.Write(section);
                report.Append(section);
            }
        }
        finally
        {
            foreach (var configuration in configurations) await configuration.DisposeAsync();
        }

        var footer = $"{Environment.NewLine}Load at end (1/5/15 min): {LoadAverage()}; total time {started.Elapsed.TotalMinutes:F1} min.{Environment.NewLine}";
        Console.Write(footer);
        report.Append(footer);
        if (output is not null) await File.WriteAllTextAsync(output, report.ToString());
        return 0;
    }

    private static async Task<string> RunCellAsync(ScenarioCell cell, List<ClientConfiguration> configurations, int runs, bool quick)
    {
        var tool = AIFunctionFactory.Create((int index) => ScenarioModel.Payload(cell.ResultBytes), ScenarioModel.ToolName, "Returns one block of data.");
        var samples = configurations.ToDictionary(c => c, _ => new List<RunSample>());

        // Warm-up until steady: whole interleaved rounds until every configuration's wall time moved < 15 % from the
        // round before (at least 3 rounds, at most 12; 2 and 4 with --quick).
        var (minRounds, maxRounds) = quick ? (2, 4) : (3, 12);
        var previous = new Dictionary<ClientConfiguration, double>();
        var rounds = 0;
        for (; rounds < maxRounds; rounds++)
        {
            var steady = rounds >= minRounds;
            foreach (var configuration in configurations)
            {
                var sample = await MeasureAsync(configuration, cell, tool);
                if (previous.TryGetValue(configuration, out var before) && Math.Abs(sample.WallMs - before) / before > 0.15) steady = false;
                previous[configuration] = sample.WallMs;
            }

            if (steady) break;
        }

        // Measured runs, interleaved: the starting configuration rotates each run so none always follows the same one.
        for (var run = 0; run < runs; run++)
        {
            for (var i = 0; i < configurations.Count; i++)
            {
                var configuration = configurations[(run + i) % configurations.Count];
                samples[configuration].Add(await MeasureAsync(configuration, cell, tool));
            }
        }

        // Upload is deterministic: counted on one more loop per configuration, outside the timed runs.
        var uploads = new Dictionary<ClientConfiguration, long>();
        foreach (var configuration in configurations)
        {
            var before = configuration.BytesUploaded;
            await configuration.RunLoopAsync(cell, tool, countingUploads: true);
            uploads[configuration] = configuration.BytesUploaded - before;
        }

        return Format(cell, configurations, samples, uploads, rounds);
    }

    /// <summary>
    /// <c>--profile-allocations NAME</c>: 200 loops of each cell (streaming, 200 B and 4 KB, 20 calls) on the configuration
    /// whose name starts with NAME, printing the sampled allocation types. Use with <c>--server-process</c> to leave the
    /// server out.
    /// </summary>
    private static async Task ProfileAllocationsAsync(List<ClientConfiguration> configurations, string name)
    {
        var configuration = configurations.First(c => c.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase));
        using var sampler = new AllocationSampler();
        foreach (var cell in new ScenarioCell[] { new(20, 200, true), new(20, 4096, true), new(20, 200, false) })
        {
            var tool = AIFunctionFactory.Create((int index) => ScenarioModel.Payload(cell.ResultBytes), ScenarioModel.ToolName);
            for (var i = 0; i < 20; i++) await configuration.RunLoopAsync(cell, tool);
            sampler.Clear();
            sampler.Start();
            for (var i = 0; i < 200; i++) await configuration.RunLoopAsync(cell, tool);
            sampler.Stop();
            Console.WriteLine($"{configuration.Name}, {cell.Label}: sampled allocation share by type");
            foreach (var (type, share) in sampler.Top(25)) Console.WriteLine($"  {share,6:P1}  {type}");
        }
    }

    private static async Task<RunSample> MeasureAsync(ClientConfiguration configuration, ScenarioCell cell, AIFunction tool)
    {
        // Start every run from a collected heap so one configuration's garbage is not collected on another's time.
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var sockets = configuration.SocketsOpened;
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        var textLength = await configuration.RunLoopAsync(cell, tool);
        clock.Stop();
        var cpuUsed = Environment.CpuUsage.TotalTime - cpu;
        var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        if (textLength != ScenarioModel.FinalText.Length)
        {
            throw new InvalidOperationException($"{configuration.Name} returned {textLength} characters of text, not the scripted answer ({ScenarioModel.FinalText.Length}).");
        }

        return new RunSample(clock.Elapsed.TotalMilliseconds, cpuUsed.TotalMilliseconds, allocatedBytes, configuration.SocketsOpened - sockets);
    }

    private static string Format(ScenarioCell cell, List<ClientConfiguration> configurations, Dictionary<ClientConfiguration, List<RunSample>> samples, Dictionary<ClientConfiguration, long> uploads, int warmupRounds)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine();
        text.AppendLine(inv, $"### {cell.Label} ({cell.Turns} requests per loop; {warmupRounds} warm-up rounds; load now {LoadAverage()})");
        text.AppendLine();
        text.AppendLine("| client | wall ms median | wall ms p95 | per-turn ms median | process CPU ms median | allocated KB median | upload KB/loop | sockets opened/loop |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var configuration in configurations)
        {
            var s = samples[configuration];
            var wall = s.Select(x => x.WallMs).ToList();
            text.AppendLine(inv, $"| {configuration.Name} | {Statistics.Median(wall):F1} | {Statistics.Percentile(wall, 0.95):F1} | {Statistics.Median(wall) / cell.Turns:F2} | {Statistics.Median([.. s.Select(x => x.CpuMs)]):F1} | {Statistics.Median([.. s.Select(x => x.AllocatedBytes / 1024.0)]):F0} | {uploads[configuration] / 1024.0:F1} | {s.Average(x => x.SocketsOpened):F2} |");
        }

        double Med(ClientConfiguration c, Func<RunSample, double> f) => Statistics.Median([.. samples[c].Select(f)]);
        var (officialFalse, officialTrue, library, libraryHttp, floor) = (configurations[0], configurations[1], configurations[2], configurations[3], configurations[4]);
        text.AppendLine();
        text.AppendLine(inv, $"Ratios (medians): wall official store=false ÷ this library **{Med(officialFalse, x => x.WallMs) / Med(library, x => x.WallMs):F2}×**, "
            + $"store=true ÷ this library **{Med(officialTrue, x => x.WallMs) / Med(library, x => x.WallMs):F2}×**; "
            + $"process CPU store=false ÷ library {Med(officialFalse, x => x.CpuMs) / Med(library, x => x.CpuMs):F2}×, store=true ÷ library {Med(officialTrue, x => x.CpuMs) / Med(library, x => x.CpuMs):F2}×; "
            + $"allocations library ÷ store=true **{Med(library, x => x.AllocatedBytes) / Med(officialTrue, x => x.AllocatedBytes):F2}**; "
            + $"upload library ÷ store=true {(double)uploads[library] / uploads[officialTrue]:F2}; "
            + $"library ÷ floor: wall {Med(library, x => x.WallMs) / Med(floor, x => x.WallMs):F2}×, CPU {Med(library, x => x.CpuMs) / Med(floor, x => x.CpuMs):F2}×, allocations {Med(library, x => x.AllocatedBytes) / Med(floor, x => x.AllocatedBytes):F2}×; "
            + $"this library over HTTP ÷ over WebSocket: wall **{Med(libraryHttp, x => x.WallMs) / Med(library, x => x.WallMs):F2}×**, CPU {Med(libraryHttp, x => x.CpuMs) / Med(library, x => x.CpuMs):F2}×, "
            + $"allocations {Med(libraryHttp, x => x.AllocatedBytes) / Med(library, x => x.AllocatedBytes):F2}, upload {(double)uploads[libraryHttp] / uploads[library]:F2}.");
        return text.ToString();
    }

    private static ClientConfiguration Official(IScenarioServer server, string name, bool stored)
    {
        var handler = new CountingHttpHandler();
        var http = new HttpClient(handler);
        var chat = new OpenAIClient(new ApiKeyCredential("local"), new OpenAIClientOptions { Endpoint = server.BaseUri, Transport = new HttpClientPipelineTransport(http) })
            .GetResponsesClient().AsIChatClient(Model);
        return new ClientConfiguration(name, chat, options => options.RawRepresentationFactory = _ => new CreateResponseOptions { StoredOutputEnabled = stored },
            () => handler.Connections, () => handler.BytesUploaded, () =>
            {
                chat.Dispose();
                http.Dispose();
                return ValueTask.CompletedTask;
            });
    }

    /// <summary>
    /// This library over <paramref name="transport"/>: WebSocket (chained on its socket), or HTTP with server-sent events
    /// (<see cref="ResponsesTransport.Http"/>: with store=false every turn is a full create from the client's transcript,
    /// like the official client with store=false, but through this library's request writer and event path).
    /// </summary>
    private static ClientConfiguration Library(IScenarioServer server, ResponsesTransport transport)
    {
        long uploaded = 0;
        long connects = 0;
        ResponsesWebSocketChatClient Create(Action<ResponsesRequestInfo>? requestSent, bool countConnects) => new(new ResponsesWebSocketChatClientOptions
        {
            Endpoint = server.BaseUri,
            Model = Model,
            Transport = transport,

            // local-model does not reason, and would answer the default include of encrypted reasoning with one 400 per client.
            EncryptedReasoning = EncryptedReasoningMode.Never,
            RequestSent = requestSent,

            // Over HTTP the sockets opened are TCP connects (pooled by the shared handler), counted as for the official client.
            ConfigureHttpHandler = countConnects ? handler => handler.ConnectCallback = CountingHttpHandler.CountingConnect(() => Interlocked.Increment(ref connects)) : null,
        });

        // RequestSent re-serialises the full history on every turn (to report what a full resend would cost), so the timed
        // client has none; a second client counts the bytes on the upload pass.
        var client = Create(null, countConnects: transport == ResponsesTransport.Http);
        var counter = Create(info => Interlocked.Add(ref uploaded, info.BytesSent), countConnects: false);
        var name = transport == ResponsesTransport.Http ? "this library (HTTP/SSE, store=false)" : "this library (WebSocket, store=false)";
        return new ClientConfiguration(name, client, null,
            () => transport == ResponsesTransport.Http ? Interlocked.Read(ref connects) : client.ConnectionsOpened,
            () => Interlocked.Read(ref uploaded), async () =>
            {
                await client.DisposeAsync();
                await counter.DisposeAsync();
            }, counter);
    }

    private static ClientConfiguration Floor(IScenarioServer server)
    {
        var floor = new FloorChatClient(server.WebSocketUri, Model);
        return new ClientConfiguration("floor (NOT a usable client)", floor, null, () => floor.SocketsOpened, () => floor.BytesUploaded, () =>
        {
            floor.Dispose();
            return ValueTask.CompletedTask;
        });
    }

    private static string? ArgValue(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private readonly record struct RunSample(double WallMs, double CpuMs, long AllocatedBytes, long SocketsOpened);
}
