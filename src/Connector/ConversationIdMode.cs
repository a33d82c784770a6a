namespace ResponsesWebSocket;

/// <summary>When responses carry a <c>ConversationId</c>. See <see cref="ResponsesWebSocketChatClientOptions.ConversationIdMode"/>.</summary>
public enum ConversationIdMode
{
    /// <summary>
    /// Always, except for calls from Semantic Kernel's function-invocation loop (<c>KernelChatOptions</c>): its
    /// <c>KernelFunctionInvokingChatClient</c> (1.82) fails every function call when the inner client reports a
    /// ConversationId, because it reads the last message of a history that FunctionInvokingChatClient has just emptied.
    /// For those calls no id is reported; Semantic Kernel then resends the history, which the client recognises by
    /// content and still sends chained, with only the new items.
    /// </summary>
    Auto,

    /// <summary>Every response and update carries the latest response id (or the server-side <c>conv_…</c> id).</summary>
    Always,

    /// <summary>No ConversationId is reported; callers resend history, which is chained by content.</summary>
    Never,
}
