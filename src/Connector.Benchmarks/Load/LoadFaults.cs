using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Benchmarks.Load;

/// <summary>
/// The faults of one run, drawn from its seed up front: which responses lose their connection (before the first event
/// or mid-stream) and after which tool invocations the next upgrade is refused with 426.
/// </summary>
/// <remarks>
/// Drops are targeted by content, not by order of receipt, so the same seed hits the same (conversation, turn) whatever
/// the scheduling: a request is identified by the newest tool-result marker in its input (<see cref="Marker"/>), which
/// reads the same whether the client chained it (only the new result) or sent it in full (every result so far). Each
/// (conversation, turn) gets at most one drop, so a resend of it is never hit again.
/// </remarks>
internal sealed partial class LoadFaults
{
    private readonly int[,] _dropAfterEvents; // -1: none; 0: before the first event; 1–5: mid-stream
    private readonly bool[,] _rejectAfterInvocation;
    private readonly ConditionalWeakTable<ReceivedRequest, StrongBox<(int Conversation, int Turn)>> _keys = [];

    public LoadFaults(LoadSettings settings)
    {
        var random = new Random(settings.Seed);
        _dropAfterEvents = new int[settings.Conversations, settings.Turns + 1];
        _rejectAfterInvocation = new bool[settings.Conversations, settings.Turns];
        for (var c = 0; c < settings.Conversations; c++)
        {
            for (var turn = 0; turn <= settings.Turns; turn++)
            {
                var roll = random.NextDouble();
                var midEvents = random.Next(1, 6);
                _dropAfterEvents[c, turn] = roll < settings.DropBeforeFirstEventRate ? 0
                    : roll < settings.DropBeforeFirstEventRate + settings.DropMidStreamRate ? midEvents
                    : -1;
                if (_dropAfterEvents[c, turn] == 0) DropsBeforeFirstEvent++;
                else if (_dropAfterEvents[c, turn] > 0) DropsMidStream++;
            }

            for (var step = 0; step < settings.Turns; step++) _rejectAfterInvocation[c, step] = random.NextDouble() < settings.RejectUpgradeRate;
        }
    }

    public int DropsBeforeFirstEvent { get; }

    public int DropsMidStream { get; }

    /// <summary>What the conversation's first message says (its identity, read back by the scripted model).</summary>
    public static string Prompt(int conversation) => string.Create(CultureInfo.InvariantCulture, $"[conv{conversation}/start] Look up every step.");

    /// <summary>What the tool result of one step starts with.</summary>
    public static string Marker(int conversation, int step) => string.Create(CultureInfo.InvariantCulture, $"[conv{conversation}/step{step}]");

    /// <summary>Queues every drop on <paramref name="plan"/>, each targeted at its (conversation, turn).</summary>
    public void Schedule(FaultPlan plan)
    {
        for (var c = 0; c < _dropAfterEvents.GetLength(0); c++)
        {
            for (var turn = 0; turn < _dropAfterEvents.GetLength(1); turn++)
            {
                if (_dropAfterEvents[c, turn] < 0) continue;
                var key = (c, turn);
                plan.When(request => KeyOf(request) == key).DropConnectionAfterEvents(_dropAfterEvents[c, turn]);
            }
        }
    }

    /// <summary>Whether the conversation's tool invocation of this step queues a 426 for the next upgrade.</summary>
    public bool RejectsUpgradeAfter(int conversation, int step) => _rejectAfterInvocation[conversation, step];

    /// <summary>The (conversation, turn) a request belongs to: turn k is the request that carries k tool results.</summary>
    private (int Conversation, int Turn) KeyOf(ReceivedRequest request) =>
        _keys.GetValue(request, static r => new StrongBox<(int, int)>(Parse(r.Json))).Value;

    private static (int Conversation, int Turn) Parse(string json)
    {
        var conversation = -1;
        var newestStep = -1;
        foreach (Match match in MarkerPattern().Matches(json))
        {
            conversation = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            if (match.Groups[2].Success) newestStep = Math.Max(newestStep, int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture));
        }

        return (conversation, newestStep + 1);
    }

    [GeneratedRegex(@"\[conv(\d+)/(?:start|step(\d+))\]", RegexOptions.CultureInvariant)]
    private static partial Regex MarkerPattern();
}
