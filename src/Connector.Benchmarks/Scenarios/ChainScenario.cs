using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>
/// <c>scenarios --chain N</c>: one conversation of N turns continued by ConversationId on this library (a user message
/// and a text answer per turn), reporting CPU, wall time and allocations per turn in blocks of 10, so the report can
/// show whether a turn costs the same at turn 1,000 as at turn 10 (transcript size and tracked-response count grow).
/// Several chains run in parallel with <c>MaxTrackedResponses</c> of 1,000 so the store also fills up.
/// </summary>
internal static class ChainScenario
{
    public static async Task<string> RunAsync(IScenarioServer server, int turns)
    {
        await using var client = new ResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions
        {
            Endpoint = server.BaseUri,
            Model = "local-model",
            EncryptedReasoning = EncryptedReasoningMode.Never,
            MaxTrackedResponses = 1000,
        });

        var blocks = new List<(int FirstTurn, double CpuMs, double WallMs, long Bytes)>();
        string? conversationId = null;
        for (var first = 1; first <= turns; first += 10)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var cpu = Environment.CpuUsage.TotalTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            for (var turn = first; turn < first + 10 && turn <= turns; turn++)
            {
                var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, ScenarioModel.Prompt(0))], new ChatOptions { ConversationId = conversationId });
                conversationId = response.ConversationId;
            }

            blocks.Add((first, (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / 10, clock.Elapsed.TotalMilliseconds / 10, (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 10));
        }

        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"### One chain of {turns} turns by ConversationId (this library, MaxTrackedResponses = 1,000)");
        text.AppendLine();
        text.AppendLine("| turns | CPU ms/turn | wall ms/turn | allocated B/turn |");
        text.AppendLine("|---|---|---|---|");
        foreach (var block in blocks.Where((b, i) => i < 3 || i % 10 == 9 || i >= blocks.Count - 3))
        {
            text.AppendLine(inv, $"| {block.FirstTurn}–{block.FirstTurn + 9} | {block.CpuMs:F3} | {block.WallMs:F3} | {block.Bytes:N0} |");
        }

        // Skip the first block (JIT, first socket) when comparing early with late, and compare 100 turns with 100 turns:
        // the kernel accounts process CPU in scheduler ticks (a few ms), about one tick per 10-turn block here.
        var early = blocks.Skip(1).Take(10).ToList();
        var late = blocks.TakeLast(10).ToList();
        text.AppendLine();
        text.AppendLine(inv, $"Per-turn CPU, turns {late[0].FirstTurn}–{turns} ÷ turns {early[0].FirstTurn}–{early[^1].FirstTurn + 9} (means of blocks): **{late.Average(b => b.CpuMs) / early.Average(b => b.CpuMs):F2}×**; allocated bytes per turn: {late.Average(b => (double)b.Bytes) / early.Average(b => (double)b.Bytes):F2}×.");
        return text.ToString();
    }
}
