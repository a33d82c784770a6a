using System.Globalization;
using ResponsesWebSocket;

namespace WebFarm;

/// <summary>One user turn of the example: which node served it, the request frames it sent, and what it cost in Redis.</summary>
/// <param name="Turn">The user turn, from 1.</param>
/// <param name="Node">The node that served it.</param>
/// <param name="Frames">Its response.create frames (the first one, then one per round of tool results), as the client reported them.</param>
/// <param name="Traffic">What the transcript store wrote to and read from Redis during the turn.</param>
/// <param name="MemoryUsage">Redis's <c>MEMORY USAGE</c> of the keys written, summed; null when the server does not say.</param>
internal sealed record TurnRow(int Turn, string Node, IReadOnlyList<ResponsesRequestInfo> Frames, CacheTraffic Traffic, long? MemoryUsage)
{
    /// <summary>How the turn's first request went out: the question the example is about.</summary>
    public string FirstRequest => Frames.Count == 0 ? "none" : Describe(Frames[0]);

    /// <summary>Every frame in order, e.g. "rebuilt: full create (NotCachedOnSocket), then chained".</summary>
    /// <remarks>A frame with <see cref="ResponsesRequestInfo.Attempt"/> above 0 is the same request sent again (the local
    /// model refuses the encrypted-reasoning include once per client, see README "Reasoning models with store=false").</remarks>
    public string DescribeFrames() =>
        string.Join(", then ", Frames.Select((f, i) => f.Attempt > 0 ? "resent" : i == 0 ? Describe(f) : f.Status == ChainStatus.Chained ? "chained" : Describe(f)));

    public static void PrintTable(IReadOnlyList<TurnRow> rows)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("Per user turn (Redis: the transcript store's writes and reads; MEMORY USAGE of the keys written):");
        Console.WriteLine(string.Create(c, $"{"turn",4} {"node",4}  {"first request",-44} {"frames",6} {"bytes sent",10}  {"writes",6} {"bytes written",13} {"reads",5} {"hits",4} {"MEMORY USAGE",12}"));
        foreach (var row in rows)
        {
            var t = row.Traffic;
            var memory = row.MemoryUsage is { } m ? m.ToString("N0", c) : "n/a";
            Console.WriteLine(string.Create(c, $"{row.Turn,4} {row.Node,4}  {row.FirstRequest,-44} {row.Frames.Count,6} {row.Frames.Sum(f => (long)f.BytesSent),10:N0}  {t.Writes,6} {t.BytesWritten,13:N0} {t.Reads,5} {t.Hits,4} {memory,12}"));
        }

        if (rows.Any(r => r.Frames.Any(f => f.Attempt > 0)))
        {
            Console.WriteLine("(\"resent\": the same request sent again, e.g. once per client when a model without reasoning refuses the encrypted-reasoning include.)");
        }

        var written = rows.Sum(r => r.Traffic.BytesWritten);
        Console.WriteLine(string.Create(c, $"Written to Redis in all: {written:N0} bytes in {rows.Sum(r => r.Traffic.Writes)} values ({written / Math.Max(1, rows.Count):N0} bytes per user turn)."));
    }

    private static string Describe(ResponsesRequestInfo info) => info.Status switch
    {
        ChainStatus.Chained => "chained on this node's socket",
        ChainStatus.NewConversation or ChainStatus.ServerConversation => $"full create ({info.Status})",
        _ => $"rebuilt: full create ({info.Status})",
    };
}
