namespace ResponsesWebSocket.Testing;

/// <summary>
/// The deterministic model behind <see cref="LocalResponsesServer"/>. Each generated response asks it for one
/// <see cref="ScriptedReply"/>: queued replies first (FIFO), then <see cref="Responder"/>, then the default behaviour
/// (call the first declared function tool until its output arrives, otherwise echo the user; <c>tool_choice</c>
/// <c>none</c>, <c>required</c>, a forced function and <c>allowed_tools</c> are honoured).
/// </summary>
public sealed class ScriptedModel
{
    private readonly Lock _gate = new();
    private readonly Queue<ScriptedReply> _queue = new();

    /// <summary>Computes a reply when the queue is empty; <see langword="null"/> selects the default behaviour.</summary>
    public Func<ModelTurn, ScriptedReply>? Responder { get; set; }

    /// <summary>How many queued replies have not been used yet.</summary>
    public int PendingReplyCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues a reply for the next generated response.</summary>
    /// <param name="reply">The reply.</param>
    public void Enqueue(ScriptedReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        lock (_gate)
        {
            _queue.Enqueue(reply);
        }
    }

    internal ScriptedReply NextReply(ModelTurn turn)
    {
        lock (_gate)
        {
            if (_queue.TryDequeue(out var queued))
            {
                return queued;
            }
        }

        // Read once: a test may swap the responder while a response is being generated.
        var responder = Responder;
        return responder?.Invoke(turn) ?? DefaultReplies.For(turn);
    }
}
