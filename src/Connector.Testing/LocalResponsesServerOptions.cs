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

    /// <summary>
    /// Decides which request models are reasoning models, given the request's <c>model</c> (or <see cref="DefaultModel"/>).
    /// A reasoning model emits a <c>reasoning</c> item (id <c>rs_…</c>) first in every generated response, even without a
    /// <c>reasoning</c> request field, with <c>encrypted_content</c> only when <c>include</c> asks for
    /// <c>reasoning.encrypted_content</c>, and reports reasoning tokens. Any other model answers such an <c>include</c>
    /// with the live service's 400 (param <c>include</c>). Defaults to <see cref="IsReasoningModelByDefault"/>.
    /// </summary>
    public Func<string, bool> IsReasoningModel { get; set; } = IsReasoningModelByDefault;

    /// <summary>The clock used for <c>created_at</c>; replace it to make timestamps deterministic.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The default <see cref="IsReasoningModel"/>: the gpt-5 family except the chat models (<c>gpt-5*</c> but not
    /// <c>gpt-5-chat*</c>) and the o-series (<c>o1*</c>, <c>o3*</c>, <c>o4*</c>), case-insensitively. Everything else —
    /// <c>gpt-4o</c>, <c>gpt-4.1</c>, <c>gpt-5-chat-latest</c>, and the server's own <c>local-model</c> — does not reason.
    /// </summary>
    /// <param name="model">The request's model name.</param>
    /// <returns><see langword="true"/> for a reasoning model.</returns>
    public static bool IsReasoningModelByDefault(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.StartsWith("gpt-5", StringComparison.OrdinalIgnoreCase))
        {
            return !model.StartsWith("gpt-5-chat", StringComparison.OrdinalIgnoreCase);
        }

        return model.StartsWith("o1", StringComparison.OrdinalIgnoreCase)
            || model.StartsWith("o3", StringComparison.OrdinalIgnoreCase)
            || model.StartsWith("o4", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The TCP port to listen on; 0 (the default) picks a free ephemeral port. Whatever the port, the server listens on
    /// 127.0.0.1 only. A fixed port lets out-of-process clients (the standalone host's users) use a known address.
    /// </summary>
    public int Port { get; set; }

    /// <summary>
    /// When set, every WebSocket upgrade is refused with this HTTP status (e.g. 426, 404 or 405) and an OpenAI-style
    /// JSON error body, as a server or proxy without WebSocket mode answers; <c>POST /v1/responses</c> keeps working.
    /// <see langword="null"/> (the default) accepts upgrades. This is the starting value of
    /// <see cref="LocalResponsesServer.RefuseWebSocketUpgrades"/>, which can be changed while the server runs.
    /// </summary>
    /// <remarks>The status must be 400 to 599; <see cref="LocalResponsesServer.StartAsync"/> throws otherwise.</remarks>
    public int? RefuseWebSocketUpgrades { get; set; }
}
