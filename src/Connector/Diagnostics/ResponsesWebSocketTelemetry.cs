namespace ResponsesWebSocket;

/// <summary>
/// The names under which the client publishes its metrics and traces, for <c>AddMeter</c>/<c>AddSource</c> in
/// OpenTelemetry. The README lists every instrument.
/// </summary>
public static class ResponsesWebSocketTelemetry
{
    /// <summary>The name of the client's <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string SourceName = "ResponsesWebSocket";
}
