using System.Diagnostics.Metrics;
using System.Globalization;
using ResponsesWebSocket;

namespace ResponsesWebSocket.Examples;

/// <summary>
/// Listens to the client's metrics (the <c>ResponsesWebSocket</c> meter) and prints the one-line summary every example
/// ends with: sockets opened, frames by chain status, bytes sent and bytes chaining saved. The same numbers an
/// OpenTelemetry exporter would see; nothing here reaches into the client.
/// </summary>
internal sealed class ChainSummary : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _totals = [];

    public ChainSummary()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ResponsesWebSocketTelemetry.SourceName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags)
            {
                // Split frames by chain status and handshakes by outcome; the rest are plain totals.
                if (tag.Key is "responses_websocket.chain" or "responses_websocket.outcome") key += "/" + tag.Value;
            }

            lock (_totals) _totals[key] = _totals.GetValueOrDefault(key) + value;
        });
        _listener.Start();
    }

    /// <summary>Gets a total: an instrument name, optionally with <c>/chain</c> or <c>/outcome</c> (e.g. <c>responses_websocket.frames/chained</c>).</summary>
    public long this[string key]
    {
        get
        {
            lock (_totals) return _totals.GetValueOrDefault(key);
        }
    }

    /// <summary>Gets how many sockets the client opened (successful handshakes).</summary>
    public long SocketsOpened => this["responses_websocket.handshakes/succeeded"];

    public override string ToString()
    {
        var chained = this["responses_websocket.frames/chained"];
        var full = this["responses_websocket.frames/full"];
        var rebuilt = this["responses_websocket.frames/rebuilt"];
        var sent = this["responses_websocket.sent_bytes/chained"] + this["responses_websocket.sent_bytes/full"] + this["responses_websocket.sent_bytes/rebuilt"];
        var saved = this["responses_websocket.avoided_bytes"];
        var share = sent + saved == 0 ? 0 : 100.0 * saved / (sent + saved);
        return string.Create(CultureInfo.InvariantCulture,
            $"Summary: {SocketsOpened} socket(s), {chained + full + rebuilt} frames ({chained} chained, {full} full, {rebuilt} rebuilt), {sent:N0} bytes sent, {saved:N0} bytes saved by chaining ({share:0.0}%).");
    }

    public void Dispose() => _listener.Dispose();
}
