using System.Text;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// Consecutive text or reasoning deltas of one output item, gathered for a non-streaming call into the one content that
/// merging the streamed updates would produce (see <see cref="ResponseUpdateMapper"/>).
/// </summary>
internal sealed class DeltaRun
{
    // Created by the first run: a tool-call turn has no text to gather.
    private StringBuilder? _text;
    private OutputItemState? _state;
    private bool _reasoning;
    private string? _reasoningItemId;

    /// <summary>Whether a delta of this item and kind extends the current run.</summary>
    public bool Continues(OutputItemState state, bool reasoning) => ReferenceEquals(_state, state) && _reasoning == reasoning;

    public void Start(OutputItemState state, bool reasoning, string? reasoningItemId)
    {
        _state = state;
        _reasoning = reasoning;
        // The merged reasoning content keeps the first delta's properties, as ToChatResponse's coalescing does.
        _reasoningItemId = reasoningItemId;
    }

    public void Append(string text) => (_text ??= new()).Append(text);

    /// <summary>The run's item, kind and text, or <see langword="null"/> when no run is pending; the run is cleared.</summary>
    public (OutputItemState State, bool Reasoning, string? ReasoningItemId, string Text)? Take()
    {
        if (_state is not { } state) return null;
        var run = (state, _reasoning, _reasoningItemId, _text?.ToString() ?? string.Empty);
        _state = null;
        _reasoningItemId = null;
        _text?.Clear();
        return run;
    }
}
