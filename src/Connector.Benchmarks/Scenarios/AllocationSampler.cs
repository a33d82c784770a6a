using System.Diagnostics.Tracing;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>
/// Samples allocations by type through the runtime's GC AllocationTick events (one event per ~100 KB allocated, naming
/// the type that crossed the threshold): a cheap, statistical view of where a client's bytes go. Diagnostic only.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly Dictionary<string, long> _bytesByType = [];
    private readonly Lock _gate = new();
    private volatile bool _enabled;

    public void Start() => _enabled = true;

    public void Stop() => _enabled = false;

    public void Clear()
    {
        lock (_gate) _bytesByType.Clear();
    }

    /// <summary>Gets the sampled types, most bytes first, as (type, share of all sampled bytes).</summary>
    public IReadOnlyList<(string Type, double Share)> Top(int count)
    {
        lock (_gate)
        {
            var total = (double)_bytesByType.Values.Sum();
            return [.. _bytesByType.OrderByDescending(p => p.Value).Take(count).Select(p => (p.Key, p.Value / total))];
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_enabled || eventData.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null) return;
        var typeIndex = eventData.PayloadNames!.IndexOf("TypeName");
        var amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (typeIndex < 0) return;
        var type = eventData.Payload[typeIndex] as string ?? "?";
        var amount = amountIndex >= 0 ? Convert.ToInt64(eventData.Payload[amountIndex], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        lock (_gate)
        {
            _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + amount;
        }
    }
}
