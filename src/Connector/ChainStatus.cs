namespace ResponsesWebSocket;

/// <summary>How a request went out, and why it was not chained when it was not.</summary>
public enum ChainStatus
{
    /// <summary>Chained: <c>previous_response_id</c> plus only the new items.</summary>
    Chained,

    /// <summary>Full create: the conversation is new to this client.</summary>
    NewConversation,

    /// <summary>
    /// Full create: the socket that cached the previous response is gone, was replaced, or served another conversation
    /// since; or the request goes over HTTP, which has no connection-local cache (with <c>store=false</c>, every HTTP turn).
    /// </summary>
    NotCachedOnSocket,

    /// <summary>Full create: a chain-defining setting (model, instructions, store, reasoning, text format, …) changed.</summary>
    SettingsChanged,

    /// <summary>Full create: the service answered <c>previous_response_not_found</c> to a chained attempt.</summary>
    PreviousResponseNotFound,

    /// <summary>Full input under a server-side conversation (<c>conv_…</c>), which the service keeps itself.</summary>
    ServerConversation,
}
