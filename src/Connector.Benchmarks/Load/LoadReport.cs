using System.Globalization;
using System.Text;

namespace ResponsesWebSocket.Benchmarks.Load;

/// <summary>Everything a <see cref="TransportLoad"/> run measured; the test asserts on it, the benchmark prints it.</summary>
internal sealed record LoadReport
{
    public required LoadSettings Settings { get; init; }

    public required IReadOnlyList<ConversationOutcome> Conversations { get; init; }

    /// <summary>Gets how many responses were scheduled to be dropped before their first event (resent by the client).</summary>
    public required int ScheduledDropsBeforeFirstEvent { get; init; }

    /// <summary>Gets how many responses were scheduled to be dropped mid-stream (surfaced, retried by the caller).</summary>
    public required int ScheduledDropsMidStream { get; init; }

    /// <summary>Gets how many 426 upgrade rejections were queued (each is taken by the next WebSocket upgrade).</summary>
    public required int QueuedUpgradeRejections { get; init; }

    /// <summary>Gets how many queued faults no request or upgrade took (rejections queued after the last upgrade).</summary>
    public required int FaultsLeftOver { get; init; }

    /// <summary>Gets how many creates the client resent on its own (<see cref="ResponsesRequestInfo.Attempt"/> above 0).</summary>
    public required int TransparentResends { get; init; }

    /// <summary>Gets how many creates the client sent in all (resends included).</summary>
    public required int CreatesSent { get; init; }

    /// <summary>Gets how many responses the server generated over WebSocket and over HTTP.</summary>
    public required int WebSocketResponses { get; init; }

    public required int HttpResponses { get; init; }

    /// <summary>Gets how many WebSocket upgrades the server accepted.</summary>
    public required int HandshakesAccepted { get; init; }

    /// <summary>Gets how often the scripted model saw a request whose tools were not its conversation's (must be 0).</summary>
    public required int ForeignToolsSeenByModel { get; init; }

    /// <summary>Gets the most WebSockets the server had open at once (sampled on every response and tool call).</summary>
    public required int PeakServerSockets { get; init; }

    /// <summary>Gets the most channels (sockets or HTTP channels) the client had open at once (same samples).</summary>
    public required int PeakClientChannels { get; init; }

    /// <summary>Gets the client's live channels after it was disposed (must be 0).</summary>
    public required int LiveChannelsAfterDispose { get; init; }

    /// <summary>Gets whether the disposed client was garbage-collected (nothing left running holds it).</summary>
    public required bool ClientCollected { get; init; }

    /// <summary>Gets the managed heap after a full collection: before the client existed, with it loaded, after disposal.</summary>
    public required long HeapBaselineBytes { get; init; }

    public required long HeapLoadedBytes { get; init; }

    public required long HeapAfterDisposeBytes { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public string Summarize()
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var s = Settings;
        var responses = WebSocketResponses + HttpResponses;
        var completed = Conversations.Count(c => c.FinalText == c.ExpectedFinalText);
        var invocations = Conversations.Sum(c => c.InvokedSteps.Count);
        text.AppendLine(inv, $"Load: {s.Conversations} conversations × {s.Turns} tool turns through one client (MaxConnections {s.MaxConnections}, Transport={s.Transport}, HttpFallbackDuration {s.HttpFallbackDuration.TotalMilliseconds:F0} ms), seed {s.Seed}.");
        text.AppendLine(inv, $"  wall time {Elapsed.TotalMilliseconds:F0} ms; {responses} responses generated ({WebSocketResponses} over WebSocket, {HttpResponses} over HTTP), {responses / Math.Max(Elapsed.TotalSeconds, 1e-9):F0} responses/s; {CreatesSent} creates sent.");
        text.AppendLine(inv, $"  completed with the expected text: {completed}/{Conversations.Count}; tool invocations {invocations} (expected {s.Conversations * s.Turns}); foreign tools seen by the model: {ForeignToolsSeenByModel}.");
        text.AppendLine(inv, $"  faults: {ScheduledDropsBeforeFirstEvent} drops before the first event (all answered invisibly: {TransparentResends} resent by the client on a new channel, the rest retried by the HTTP transport), {ScheduledDropsMidStream} mid-stream drops (surfaced {Conversations.Sum(c => c.SurfacedFailures.Count)}, retried by the caller), {QueuedUpgradeRejections} upgrades answered 426 ({QueuedUpgradeRejections - Math.Min(FaultsLeftOver, QueuedUpgradeRejections)} taken); {HandshakesAccepted} upgrades accepted.");
        text.AppendLine(inv, $"  peak sockets on the server {PeakServerSockets}, peak client channels {PeakClientChannels} (bound {s.MaxConnections}); live channels after dispose {LiveChannelsAfterDispose}; client collected after dispose: {ClientCollected}.");
        text.AppendLine(inv, $"  managed heap after full GC: baseline {HeapBaselineBytes / 1024.0 / 1024.0:F1} MB, loaded {HeapLoadedBytes / 1024.0 / 1024.0:F1} MB, after dispose {HeapAfterDisposeBytes / 1024.0 / 1024.0:F1} MB ({(HeapAfterDisposeBytes - HeapBaselineBytes) / 1024.0:+0;-0} KB).");
        return text.ToString();
    }
}
