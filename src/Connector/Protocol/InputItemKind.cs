namespace ResponsesWebSocket.Protocol;

/// <summary>The kinds of Responses input items the client sends; everything else is <see cref="Other"/>.</summary>
internal enum InputItemKind
{
    /// <summary>A <c>message</c> item (user, system, developer or assistant).</summary>
    Message,

    /// <summary>A <c>function_call</c> item the model produced earlier.</summary>
    FunctionCall,

    /// <summary>A <c>function_call_output</c> item carrying a tool result.</summary>
    FunctionCallOutput,

    /// <summary>A <c>reasoning</c> item, usually carrying <c>encrypted_content</c>.</summary>
    Reasoning,

    /// <summary>
    /// Any other item the model produced (hosted-tool calls, MCP tool lists, calls and approval requests, custom tool calls,
    /// …), resent verbatim; like the kinds above, the server already holds it on a live chain.
    /// </summary>
    ModelItem,

    /// <summary>Any other item (MCP approval responses, compaction, caller-built items, …) passed through verbatim.</summary>
    Other,
}
