using System.Globalization;

namespace ResponsesWebSocket.Benchmarks.Load;

/// <summary>
/// <c>load [--conversations N] [--turns N] [--max-connections N] [--seed N] [--fallback-ms N] [--transport auto|websocket|http]</c>: the load test's
/// workload (see <see cref="TransportLoad"/>) at full size, on the real clock, printing a summary. Exits 1 when a
/// promise was broken. The HTTP fallback lasts 10 ms by default: the whole run takes about a second, and a longer
/// fallback would send nearly every turn over HTTP.
/// </summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = new LoadSettings
        {
            Conversations = IntArg(args, "--conversations") ?? 100,
            Turns = IntArg(args, "--turns") ?? 10,
            MaxConnections = IntArg(args, "--max-connections") ?? 8,
            Seed = IntArg(args, "--seed") ?? Random.Shared.Next(),
            HttpFallbackDuration = TimeSpan.FromMilliseconds(IntArg(args, "--fallback-ms") ?? 10),
            Transport = Enum.Parse<ResponsesTransport>(StringArg(args, "--transport") ?? "auto", ignoreCase: true),
            Timeout = TimeSpan.FromMinutes(5),
        };

        var report = await TransportLoad.RunAsync(settings);
        Console.Write(report.Summarize());
        var broken = BrokenPromises(report);
        foreach (var line in broken) Console.WriteLine("FAILED: " + line);
        if (broken.Count > 0) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Repeat with --seed {settings.Seed}."));
        return broken.Count == 0 ? 0 : 1;
    }

    /// <summary>The load test's checks, as text (the test states them as assertions).</summary>
    private static List<string> BrokenPromises(LoadReport report)
    {
        var broken = new List<string>();
        var turns = report.Settings.Turns;
        foreach (var c in report.Conversations)
        {
            if (c.FinalText != c.ExpectedFinalText) broken.Add($"conv{c.Index} answered '{c.FinalText}'");
            if (!c.InvokedSteps.SequenceEqual(Enumerable.Range(0, turns))) broken.Add($"conv{c.Index} invoked steps {string.Join(',', c.InvokedSteps)}");
            if (!c.ConversationIds.IsSubsetOf(c.ResponseIds)) broken.Add($"conv{c.Index} saw a ConversationId that is not one of its responses");
        }

        var shared = report.Conversations.SelectMany(c => c.ResponseIds).GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (shared.Count > 0) broken.Add($"{shared.Count} ResponseIds reached more than one conversation");
        if (report.ForeignToolsSeenByModel > 0) broken.Add($"{report.ForeignToolsSeenByModel} requests carried another conversation's tools");
        var surfaced = report.Conversations.Sum(c => c.SurfacedFailures.Count);
        if (surfaced != report.ScheduledDropsMidStream) broken.Add($"{surfaced} failures surfaced for {report.ScheduledDropsMidStream} mid-stream drops");
        var expectedResponses = (report.Conversations.Count * (turns + 1)) + report.ScheduledDropsBeforeFirstEvent + report.ScheduledDropsMidStream;
        var expectedCreates = (report.Conversations.Count * (turns + 1)) + report.TransparentResends + report.ScheduledDropsMidStream;
        if (report.CreatesSent != expectedCreates) broken.Add($"{report.CreatesSent} creates sent, expected {expectedCreates}");
        if (report.WebSocketResponses + report.HttpResponses != expectedResponses) broken.Add($"{report.WebSocketResponses + report.HttpResponses} responses generated, expected {expectedResponses}");
        if (report.PeakServerSockets > report.Settings.MaxConnections || report.PeakClientChannels > report.Settings.MaxConnections) broken.Add("more sockets than MaxConnections");
        if (report.LiveChannelsAfterDispose != 0) broken.Add($"{report.LiveChannelsAfterDispose} channels live after dispose");
        if (!report.ClientCollected) broken.Add("the disposed client was not collected");
        return broken;
    }

    private static int? IntArg(string[] args, string name) =>
        StringArg(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;

    private static string? StringArg(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
