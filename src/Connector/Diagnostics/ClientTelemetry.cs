using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace ResponsesWebSocket.Diagnostics;

/// <summary>
/// One client's <see cref="Meter"/> and <see cref="ActivitySource"/> (both named <see cref="ResponsesWebSocketTelemetry.SourceName"/>):
/// what the transport and the chaining do, which MEAI's <c>UseOpenTelemetry()</c> cannot see. No gen_ai spans here:
/// that middleware owns them; this adds connect spans and a frame event on whatever span is current.
/// </summary>
/// <remarks>One instance per client, so that listeners (and tests) can tell two clients apart by instrument.</remarks>
internal sealed class ClientTelemetry : IDisposable
{
    private const string Prefix = "responses_websocket.";

    private readonly Counter<long> _frames;
    private readonly Counter<long> _sentBytes;
    private readonly Counter<long> _avoidedBytes;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _resends;
    private readonly Counter<long> _handshakes;
    private readonly Counter<long> _transportFallbacks;
    private readonly Histogram<double> _timeToFirstEvent;

    public ClientTelemetry(Func<int> openConnections)
    {
        var version = typeof(ClientTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        Meter = new Meter(ResponsesWebSocketTelemetry.SourceName, version);
        ActivitySource = new ActivitySource(ResponsesWebSocketTelemetry.SourceName, version);
        _frames = Meter.CreateCounter<long>(Prefix + "frames", "{frame}", "response.create frames sent, by chain status: chained, full (a new conversation) or rebuilt (a known conversation sent in full).");
        _sentBytes = Meter.CreateCounter<long>(Prefix + "sent_bytes", "By", "Bytes of response.create frames sent.");
        _avoidedBytes = Meter.CreateCounter<long>(Prefix + "avoided_bytes", "By", "Bytes chaining saved: what full-history frames would have cost minus what was sent. Measured only while listened to.");
        _fallbacks = Meter.CreateCounter<long>(Prefix + "chain_fallbacks", "{frame}", "Known conversations sent as a full create instead of chained, by reason.");
        _resends = Meter.CreateCounter<long>(Prefix + "resends", "{frame}", "Requests resent transparently before any output was surfaced, by reason.");
        _handshakes = Meter.CreateCounter<long>(Prefix + "handshakes", "{handshake}", "WebSocket upgrades attempted, by outcome.");
        _transportFallbacks = Meter.CreateCounter<long>(Prefix + "transport_fallbacks", "{fallback}", "Switches to HTTP with server-sent events after WebSocket mode was refused, by the refusing status.");
        _timeToFirstEvent = Meter.CreateHistogram<double>(Prefix + "time_to_first_event", "s", "Time from sending a frame to its first server event.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        Meter.CreateObservableUpDownCounter(Prefix + "open_connections", openConnections, "{connection}", "WebSockets currently open.");
    }

    public Meter Meter { get; }

    public ActivitySource ActivitySource { get; }

    /// <summary>Gets whether someone listens to the saved bytes, which costs one extra serialization per chained frame.</summary>
    public bool MeasuresAvoidedBytes => _avoidedBytes.Enabled;

    /// <summary>Records one frame; <paramref name="fullHistoryBytes"/> equals <paramref name="bytes"/> when it was not measured.</summary>
    public void FrameSent(ChainStatus status, int items, int bytes, long fullHistoryBytes)
    {
        var chain = new KeyValuePair<string, object?>(Prefix + "chain", ChainName(status));
        _frames.Add(1, chain, new(Prefix + "chain_status", StatusName(status)));
        _sentBytes.Add(bytes, chain);
        if (fullHistoryBytes > bytes) _avoidedBytes.Add(fullHistoryBytes - bytes);
        if (ChainName(status) == "rebuilt") _fallbacks.Add(1, new KeyValuePair<string, object?>(Prefix + "chain_status", StatusName(status)));

        // An event on the caller's span (MEAI's gen_ai span under UseOpenTelemetry), not a span of our own.
        if (Activity.Current is { IsAllDataRequested: true } current)
        {
            current.AddEvent(new ActivityEvent(Prefix + "frame_sent", tags: new ActivityTagsCollection
            {
                [Prefix + "chain_status"] = StatusName(status),
                [Prefix + "items"] = items,
                [Prefix + "bytes"] = bytes,
            }));
        }
    }

    /// <summary>Records a switch to HTTP after the upgrade was refused with <paramref name="statusCode"/>.</summary>
    public void FellBackToHttp(int statusCode) =>
        _transportFallbacks.Add(1, new KeyValuePair<string, object?>("http.response.status_code", statusCode));

    /// <summary>Records a transparent resend.</summary>
    public void Resent(string reason) => _resends.Add(1, new KeyValuePair<string, object?>(Prefix + "resend_reason", reason));

    /// <summary>Records the time from a frame's send to its first server event.</summary>
    public void FirstEvent(TimeSpan elapsed) => _timeToFirstEvent.Record(elapsed.TotalSeconds);

    /// <summary>Starts the span of one WebSocket upgrade (no query string: it may carry secrets).</summary>
    public Activity? StartConnect(Uri uri)
    {
        var activity = ActivitySource.StartActivity(Prefix + "connect", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("server.address", uri.Host);
            activity.SetTag("server.port", uri.Port);
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Path));
        }

        return activity;
    }

    /// <summary>Records an upgrade's outcome on the counter and its span: <c>succeeded</c>, <c>rejected</c> (an HTTP status) or <c>failed</c>.</summary>
    public void HandshakeFinished(Activity? activity, string outcome, int? statusCode = null, Exception? exception = null)
    {
        var tags = new TagList { { Prefix + "outcome", outcome } };
        if (statusCode is { } code) tags.Add("http.response.status_code", code);
        _handshakes.Add(1, tags);
        if (activity is null) return;
        if (statusCode is { } status) activity.SetTag("http.response.status_code", status);
        if (outcome != "succeeded")
        {
            activity.SetStatus(ActivityStatusCode.Error, exception?.Message);
            activity.SetTag("error.type", statusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? exception?.GetType().FullName ?? outcome);
        }
    }

    public void Dispose()
    {
        Meter.Dispose();
        ActivitySource.Dispose();
    }

    // The member's name, as ToString() gives it, without boxing the enum on every frame.
    private static string StatusName(ChainStatus status) => status switch
    {
        ChainStatus.Chained => nameof(ChainStatus.Chained),
        ChainStatus.NewConversation => nameof(ChainStatus.NewConversation),
        ChainStatus.NotCachedOnSocket => nameof(ChainStatus.NotCachedOnSocket),
        ChainStatus.SettingsChanged => nameof(ChainStatus.SettingsChanged),
        ChainStatus.PreviousResponseNotFound => nameof(ChainStatus.PreviousResponseNotFound),
        ChainStatus.ServerConversation => nameof(ChainStatus.ServerConversation),
        _ => status.ToString(),
    };

    private static string ChainName(ChainStatus status) => status switch
    {
        ChainStatus.Chained => "chained",
        ChainStatus.NewConversation or ChainStatus.ServerConversation => "full",
        _ => "rebuilt",
    };
}
