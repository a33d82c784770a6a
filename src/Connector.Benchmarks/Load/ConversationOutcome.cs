namespace ResponsesWebSocket.Benchmarks.Load;

/// <summary>What one conversation of a <see cref="TransportLoad"/> run saw.</summary>
internal sealed class ConversationOutcome
{
    private readonly Lock _gate = new();
    private readonly List<int> _invokedSteps = [];

    public ConversationOutcome(int index, string expectedFinalText)
    {
        Index = index;
        ExpectedFinalText = expectedFinalText;
    }

    /// <summary>Gets the conversation's number (its identity in prompts, tool names and tool results).</summary>
    public int Index { get; }

    /// <summary>Gets the answer the scripted model gives when the conversation's context is exactly its own ten results.</summary>
    public string ExpectedFinalText { get; }

    /// <summary>Gets the text of the attempt that completed (the caller's answer), or null when none did.</summary>
    public string? FinalText { get; set; }

    /// <summary>Gets every <c>ResponseId</c> the conversation's updates carried, failed attempts included.</summary>
    public HashSet<string> ResponseIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets every <c>ConversationId</c> the conversation's updates carried.</summary>
    public HashSet<string> ConversationIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the failures that surfaced to the caller, in order (the caller retried after each).</summary>
    public List<ResponsesException> SurfacedFailures { get; } = [];

    /// <summary>Gets how many attempts (calls to the function-invoking client) the conversation needed.</summary>
    public int Attempts { get; set; }

    /// <summary>Gets the <c>step</c> argument of every invocation of the conversation's tool, in order.</summary>
    public IReadOnlyList<int> InvokedSteps
    {
        get { lock (_gate) return [.. _invokedSteps]; }
    }

    public void Invoked(int step)
    {
        lock (_gate) _invokedSteps.Add(step);
    }
}
