namespace ResponsesWebSocket;

/// <summary>When responses carry a <c>ConversationId</c>. See <see cref="ResponsesWebSocketChatClientOptions.ConversationIdMode"/>.</summary>
/// <remarks>
/// The id is the latest response id (or the server-side <c>conv_…</c> id). A caller that passes it back with only the new
/// messages continues the chain; a caller that ignores it and resends its history is chained by content instead, so
/// withholding the id never costs a full resend. Hosts whose function-invocation loop cannot take an id (it drops the
/// history it would otherwise resend) withhold it in their own pipeline, for the calls concerned, rather than switching it
/// off for the whole client.
/// </remarks>
public enum ConversationIdMode
{
    /// <summary>
    /// The library's choice, and the default: today every response and update carries the id, exactly as with
    /// <see cref="Always"/>. Configure <see cref="Always"/> to pin that behaviour if a later version narrows this one.
    /// </summary>
    Auto,

    /// <summary>Every response and update carries the latest response id (or the server-side <c>conv_…</c> id).</summary>
    Always,

    /// <summary>No ConversationId is reported; callers resend history, which is chained by content.</summary>
    Never,
}
