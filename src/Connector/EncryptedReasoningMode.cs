namespace ResponsesWebSocket;

/// <summary>
/// When requests ask the service for <c>reasoning.encrypted_content</c> (see
/// <see cref="ResponsesWebSocketChatClientOptions.EncryptedReasoning"/>).
/// </summary>
/// <remarks>
/// With <c>store=false</c> the service keeps nothing, so a reasoning item can only be sent back in a full create (after a
/// broken chain, or for a history resent to another client) when it carries its encrypted content; sent by id alone it is
/// rejected with 404. Reasoning models (gpt-5 family, o-series) return reasoning items on every turn, whether or not
/// <c>ChatOptions.Reasoning</c> is set; models without reasoning reject the include with 400.
/// </remarks>
public enum EncryptedReasoningMode
{
    /// <summary>
    /// With <c>store=false</c>, ask for encrypted reasoning. When the service answers that the model does not support it
    /// (400, <c>param: include</c>) before anything was surfaced, the request is resent once without it, transparently,
    /// and the model is remembered by this client so that later turns do not pay the round trip again.
    /// </summary>
    Auto,

    /// <summary>Always ask for encrypted reasoning (also with <c>store=true</c>); a model that rejects it fails the call.</summary>
    Always,

    /// <summary>
    /// Never ask for it (unless the caller's own <c>AdditionalProperties["include"]</c> does). With <c>store=false</c>,
    /// reasoning items then cannot be resent and are dropped from full creates.
    /// </summary>
    Never,
}
