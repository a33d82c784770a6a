namespace ResponsesWebSocket.Benchmarks.Load;

/// <summary>What one <see cref="TransportLoad"/> run does: its size, its faults and the client's clock.</summary>
internal sealed record LoadSettings
{
    /// <summary>Gets how many conversations run at the same time through the one client.</summary>
    public int Conversations { get; init; } = 24;

    /// <summary>Gets how many tool turns each conversation makes before the model answers (Turns + 1 responses each).</summary>
    public int Turns { get; init; } = 10;

    /// <summary>Gets the client's <c>MaxConnections</c>: the bound on its sockets (and HTTP channels).</summary>
    public int MaxConnections { get; init; } = 8;

    /// <summary>
    /// Gets the client's transport (default <see cref="ResponsesTransport.Auto"/>). Upgrade rejections only make sense for
    /// Auto: with <see cref="ResponsesTransport.WebSocket"/> a 426 would surface, so none are queued for it.
    /// </summary>
    public ResponsesTransport Transport { get; init; } = ResponsesTransport.Auto;

    /// <summary>Gets the seed every random choice of the run comes from (which responses fail, and how).</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Gets the share of responses whose connection is dropped after the request arrived and before the first event: the
    /// client resends those transparently, so the caller never sees them.
    /// </summary>
    public double DropBeforeFirstEventRate { get; init; } = 0.08;

    /// <summary>
    /// Gets the share of responses whose connection is dropped after 1–5 events: the client never replays a response it
    /// has started reading, so these surface as <see cref="ResponsesErrorKind.ConnectionClosed"/> and the caller retries.
    /// </summary>
    public double DropMidStreamRate { get; init; } = 0.08;

    /// <summary>Gets the share of tool invocations after which the server's next WebSocket upgrade is answered 426.</summary>
    public double RejectUpgradeRate { get; init; } = 0.04;

    /// <summary>Gets the client's <c>HttpFallbackDuration</c>: short, so that the client flips back to WebSocket mid-run.</summary>
    public TimeSpan HttpFallbackDuration { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Gets the client's clock (tests pass a manual one and move it in <see cref="OnToolInvoked"/>).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the client's <c>ResponseIdleTimeout</c> (tests with a manual clock turn it off: the clock jumps).</summary>
    public TimeSpan ResponseIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets a hook called on every tool invocation (tests advance their manual clock here).</summary>
    public Action? OnToolInvoked { get; init; }

    /// <summary>Gets how long the whole run may take before it fails with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
