namespace ResponsesWebSocket.Testing;

/// <summary>
/// One answer of the <see cref="ScriptedModel"/>. The parts compose: output items are emitted in the order
/// reasoning, then one assistant message (text and/or refusal), then the function calls. A raw reply
/// (<see cref="FromRawEvents"/>, <see cref="FromRawFrames"/>) replaces all of that with frames sent verbatim.
/// </summary>
public sealed class ScriptedReply
{
    /// <summary>
    /// When set, a <c>reasoning</c> item with this summary text comes first. A reasoning model
    /// (<see cref="LocalResponsesServerOptions.IsReasoningModel"/>) emits that item on every turn anyway, with an empty
    /// summary unless this sets one.
    /// </summary>
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

    /// <summary>
    /// When set, the response consists of exactly these frames, in order, with nothing generated or rewritten (no
    /// <c>response.created</c>, no sequence numbers), and every other property is ignored. The connection-local cache
    /// follows the last frame that is a JSON terminal event: <c>response.completed</c>, <c>response.incomplete</c> or
    /// <c>response.done</c> with a <c>response.id</c> makes that response the most recent one (its <c>output</c> array,
    /// read leniently, is the continuation context; with <c>store:true</c> it is stored too); anything else
    /// (<c>response.failed</c>, <c>error</c>, no terminal, or frames that are not JSON) evicts the cache, as a failed
    /// turn does. Delivery faults (drop, close, pause after N events) count frames; event-shaping faults are ignored.
    /// </summary>
    public IReadOnlyList<RawFrame>? RawFrames { get; init; }

    /// <summary>A reply that only answers with text.</summary>
    /// <param name="text">The assistant text.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply WithText(string text) => new() { Text = text };

    /// <summary>A reply that only calls functions.</summary>
    /// <param name="calls">The calls, in output order.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply CallFunctions(params ScriptedFunctionCall[] calls) => new() { FunctionCalls = calls };

    /// <summary>
    /// A raw reply: each string is sent verbatim as one WebSocket text message (over SSE, one event whose <c>data:</c> is
    /// the string), in order. Use it to replay recorded streams or to send malformed events; see <see cref="RawFrames"/>.
    /// </summary>
    /// <param name="frames">The frames, e.g. the lines of a recorded <c>*.chunks.txt</c> file.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply FromRawEvents(IReadOnlyList<string> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return FromRawFrames([.. frames.Select(RawFrame.Text)]);
    }

    /// <summary>A raw reply of text, byte or binary frames, sent verbatim in order; see <see cref="RawFrames"/>.</summary>
    /// <param name="frames">The frames.</param>
    /// <returns>The reply.</returns>
    public static ScriptedReply FromRawFrames(params IReadOnlyList<RawFrame> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Any(frame => frame is null))
        {
            throw new ArgumentException("A raw reply cannot contain a null frame.", nameof(frames));
        }

        return new() { RawFrames = [.. frames] };
    }
}
