namespace ResponsesWebSocket.Testing;

/// <summary>
/// One answer of the <see cref="ScriptedModel"/>. The parts compose: output items are emitted in the order
/// reasoning, then one assistant message (text and/or refusal), then the function calls.
/// </summary>
public sealed class ScriptedReply
{
    /// <summary>When set, a <c>reasoning</c> item with this summary text comes first.</summary>
    public string? ReasoningSummary { get; init; }

    /// <summary>When set, the assistant message carries an <c>output_text</c> part with this text.</summary>
    public string? Text { get; init; }

    /// <summary>When set, the assistant message carries a <c>refusal</c> part with this text.</summary>
    public string? Refusal { get; init; }

    /// <summary>Function calls emitted after the message, each as its own <c>function_call</c> item.</summary>
    public IReadOnlyList<ScriptedFunctionCall> FunctionCalls { get; init; } = [];

    /// <summary><c>url_citation</c> annotations attached to <see cref="Text"/>.</summary>
    public IReadOnlyList<ScriptedCitation> Citations { get; init; } = [];

    /// <summary>When set, the response ends with <c>response.incomplete</c> and this <c>incomplete_details.reason</c> (e.g. <c>max_output_tokens</c>).</summary>
    public string? IncompleteReason { get; init; }

    /// <summary>When set, the response ends with <c>response.failed</c> carrying this <c>error</c>.</summary>
    public (string Code, string Message)? Failure { get; init; }

    /// <summary>A reply that only answers with text.</summary>
    /// <param name="text">The assistant text.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply WithText(string text) => new() { Text = text };

    /// <summary>A reply that only calls functions.</summary>
    /// <param name="calls">The calls, in output order.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply CallFunctions(params ScriptedFunctionCall[] calls) => new() { FunctionCalls = calls };
}
