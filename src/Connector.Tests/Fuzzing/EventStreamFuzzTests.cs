using System.Globalization;
using ResponsesWebSocket.Tests.Support;
using Xunit.Abstractions;

namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>
/// The mutation fuzzer over event streams, through the real socket path. A short run is part of <c>dotnet test</c>;
/// a long run is on demand: <c>FUZZ_ITERATIONS=10000 dotnet test --filter FullyQualifiedName~EventStreamFuzzTests</c>
/// (<c>FUZZ_SEED</c> picks another seed). A finding prints the frames as a ready-made raw reply for a regression test.
/// </summary>
public class EventStreamFuzzTests(ITestOutputHelper output)
{
    private const int ShortRun = 500;
    private const int DefaultSeed = 20261128;

    [Fact]
    public async Task Mutated_local_server_streams_only_ever_end_in_a_typed_error_and_the_next_call_works()
    {
        var seeds = await FuzzSeeds.CaptureBuiltInAsync().WaitAsync(TimeSpan.FromSeconds(30));
        seeds.Should().HaveCountGreaterThanOrEqualTo(8);

        var report = await EventStreamFuzzer.RunAsync(seeds, Iterations(), Seed());

        output.WriteLine(report.Summary());
        var file = report.WriteFindings();
        report.Findings.Count.Should().Be(0, $"{report.Summary()}{Environment.NewLine}full findings: {file}");
        report.Completed.Should().Be(report.Iterations);
    }

    [Fact]
    public async Task Mutated_local_server_streams_over_server_sent_events_only_ever_end_in_a_typed_error_and_the_next_call_works()
    {
        var seeds = await FuzzSeeds.CaptureBuiltInAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Fewer iterations by default: the HTTP path shares the parser and the mapper with the socket path fuzzed above.
        var report = await EventStreamFuzzer.RunAsync(seeds, Math.Max(1, Iterations() / 2), Seed() + 2, ResponsesTransport.Http);

        output.WriteLine(report.Summary());
        var file = report.WriteFindings();
        report.Findings.Count.Should().Be(0, $"{report.Summary()}{Environment.NewLine}full findings: {file}");
        report.Completed.Should().Be(report.Iterations);
    }

    [RecordingFact]
    public async Task Mutated_recorded_streams_only_ever_end_in_a_typed_error_and_the_next_call_works()
    {
        var seeds = FuzzSeeds.LoadRecorded();
        seeds.Should().HaveCountGreaterThanOrEqualTo(10, $"the recordings are read from {SharedRecordings.ExpectedFolder}");
        seeds.AddRange(await FuzzSeeds.CaptureBuiltInAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        var report = await EventStreamFuzzer.RunAsync(seeds, Iterations(), Seed() + 1);

        output.WriteLine(report.Summary());
        var file = report.WriteFindings();
        report.Findings.Count.Should().Be(0, $"{report.Summary()}{Environment.NewLine}full findings: {file}");
        report.Completed.Should().Be(report.Iterations);
    }

    private static int Iterations() =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : ShortRun;

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
}
