namespace ResponsesWebSocket.Conversations;

/// <summary>
/// A <see cref="TranscriptStore"/> entry: the node and its places in the store's two lists, so that touching, evicting
/// and indexing are all O(1).
/// </summary>
internal sealed class TrackedResponse(ResponseNode node, long sequence)
{
    public ResponseNode Node { get; } = node;

    /// <summary>Gets the order in which the store received the node (1, 2, …): of two nodes with equal keys, the later wins.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>Gets or sets when the response was last added or used (idle expiry); the store's bookkeeping, not the node's.</summary>
    public DateTimeOffset LastUsed { get; set; }

    /// <summary>Gets or sets its place in the recency list (least recently used first).</summary>
    public LinkedListNode<TrackedResponse>? Recency { get; set; }

    /// <summary>Gets or sets its place in the list of nodes not yet in the content index, or <see langword="null"/> once indexed.</summary>
    public LinkedListNode<TrackedResponse>? Unindexed { get; set; }

    /// <summary>Gets or sets whether the node is in the content index (then its keys have been computed).</summary>
    public bool Indexed { get; set; }
}
