using System.Text;

namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>What a fuzz run saw: how each call ended, and the findings (inputs that broke a rule).</summary>
internal sealed class FuzzReport(int seed, int iterations)
{
    public int Seed { get; } = seed;

    public int Iterations { get; } = iterations;

    public int Completed { get; set; }

    public Dictionary<string, int> Outcomes { get; } = [];

    public List<FuzzFinding> Findings { get; } = [];

    public TimeSpan Elapsed { get; set; }

    public void Count(string outcome) => Outcomes[outcome] = Outcomes.GetValueOrDefault(outcome) + 1;

    public string Summary()
    {
        var text = new StringBuilder($"seed {Seed}: {Completed}/{Iterations} iterations in {Elapsed.TotalSeconds:0.0} s; outcomes: ");
        text.AppendJoin(", ", Outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"));
        text.Append($"; findings: {Findings.Count}");
        foreach (var finding in Findings) text.AppendLine().Append(finding);
        return text.ToString();
    }

    /// <summary>Writes every finding in full (frames uncut) next to the test assembly; returns the path, or null when clean.</summary>
    public string? WriteFindings()
    {
        if (Findings.Count == 0) return null;
        var path = Path.Combine(AppContext.BaseDirectory, $"fuzz-findings-{Seed}.txt");
        File.WriteAllLines(path, Findings.Select(f => f.Describe(maxFrameChars: 0)));
        return path;
    }
}

/// <summary>One input that broke a rule, with what it takes to replay it as a regression test.</summary>
internal sealed record FuzzFinding(int Iteration, string SeedName, IReadOnlyList<string> Mutations, string Problem, IReadOnlyList<FuzzFrame> Frames)
{
    public override string ToString() => Describe(maxFrameChars: 600);

    /// <summary>The finding with its frames as C#, each frame cut at <paramref name="maxFrameChars"/> (0: never).</summary>
    public string Describe(int maxFrameChars) =>
        $"iteration {Iteration} ({SeedName}; {string.Join(", ", Mutations)}): {Problem}{Environment.NewLine}"
        + $"  frames: ScriptedReply.FromRawFrames({string.Join(", ", Frames.Select(f => Cut(f.ToCSharp(), maxFrameChars)))})";

    private static string Cut(string text, int max) =>
        max <= 0 || text.Length <= max ? text : text[..max] + $"…({text.Length - max} more chars; see the findings file)";
}
