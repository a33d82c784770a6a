namespace ResponsesWebSocket.Testing;

/// <summary>Settings for <see cref="LocalResponsesServer"/>.</summary>
public sealed class LocalResponsesServerOptions
{
    /// <summary>
    /// The API key the server demands as <c>Authorization: Bearer &lt;key&gt;</c> on WebSocket upgrades and POSTs.
    /// When <see langword="null"/> (the default) any request is accepted.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The model name reported when a request omits <c>model</c>.</summary>
    public string DefaultModel { get; set; } = "local-model";

    /// <summary>
    /// Whether every received request is kept in <see cref="LocalResponsesServer.Requests"/> (the default). Turn it
    /// off for long benchmark runs to keep memory flat; <see cref="LocalResponsesServer.WaitForRequestCountAsync"/> still counts.
    /// </summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>The clock used for <c>created_at</c>; replace it to make timestamps deterministic.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The TCP port to listen on; 0 (the default) picks a free ephemeral port. Whatever the port, the server listens on
    /// 127.0.0.1 only. A fixed port lets out-of-process clients (the standalone host's users) use a known address.
    /// </summary>
    public int Port { get; set; }
}
