using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// Content-less updates waiting for their MessageId: the ones that come before a response's first output item, which alone
/// says which message they belong to (see <see cref="ResponseUpdateMapper"/>). Released in arrival order.
/// </summary>
internal sealed class HeldUpdates
{
    private Queue<ChatResponseUpdate>? _held;
    private Queue<ChatResponseUpdate>? _released;

    /// <summary>Holds an update until <see cref="Release"/>.</summary>
    public void Hold(ChatResponseUpdate update) => (_held ??= new()).Enqueue(update);

    /// <summary>Stamps every held update with <paramref name="messageId"/> and makes it ready to yield.</summary>
    public void Release(string messageId)
    {
        if (_held is not { Count: > 0 })
        {
            return;
        }

        while (_held.TryDequeue(out var update))
        {
            update.MessageId = messageId;
            (_released ??= new()).Enqueue(update);
        }
    }

    /// <summary>Queues an update that is ready now, after the released ones (a merged run of deltas, see <see cref="ResponseUpdateMapper"/>).</summary>
    public void Ready(ChatResponseUpdate update) => (_released ??= new()).Enqueue(update);

    /// <summary>The next released update, oldest first; <see langword="null"/> when there is none.</summary>
    public ChatResponseUpdate? TakeReleased() => _released is not null && _released.TryDequeue(out var update) ? update : null;
}
