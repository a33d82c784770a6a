using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// The responses this client knows, by response id and by the content of their transcripts. Bounded in count and age.
/// </summary>
/// <remarks>
/// Eviction removes a response from both indexes: a later continuation by that id (with <c>store=false</c>) then fails as
/// unknown, and a resent history no longer matches it, so it goes out as a new chain with the caller's full input.
/// Nodes that a newer, still-tracked response descends from stay reachable through it; only lookups forget them.
/// <para>Every operation is O(1) amortised in the number of tracked responses: a recency list (least recently used
/// first) replaces scanning for the oldest, and idle expiry only ever looks at the head of that list. The content index
/// is filled lazily: a response is keyed (its items' match keys computed) only when a call without a ConversationId
/// needs content matching, so a caller that always continues by id never pays for keys.</para>
/// </remarks>
internal sealed class TranscriptStore
{
    private readonly Dictionary<string, TrackedResponse> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Count, ulong Hash), TrackedResponse> _byKeys = [];
    private readonly LinkedList<TrackedResponse> _recency = new();
    private readonly LinkedList<TrackedResponse> _unindexed = new();
    private readonly Lock _gate = new();
    private readonly int _maxResponses;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private long _added;

    public TranscriptStore(int maxResponses, TimeSpan idleTimeout, TimeProvider time)
    {
        _maxResponses = maxResponses;
        _idleTimeout = idleTimeout;
        _time = time;
    }

    /// <summary>Gets how many responses are tracked.</summary>
    public int Count
    {
        get { lock (_gate) return _byId.Count; }
    }

    /// <summary>Tracks a completed response, evicting idle and least recently used ones beyond the bounds.</summary>
    public void Add(ResponseNode node)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_byId.Remove(node.ResponseId, out var replaced)) Unlink(replaced);
            var entry = new TrackedResponse(node, ++_added) { LastUsed = now };
            entry.Recency = _recency.AddLast(entry);
            entry.Unindexed = _unindexed.AddLast(entry);
            _byId[node.ResponseId] = entry;

            // The recency list is ordered by LastUsed, so the idle ones are all at its head.
            while (_recency.First is { } oldest && now - oldest.Value.LastUsed > _idleTimeout) Remove(oldest.Value);
            while (_byId.Count > _maxResponses) Remove(_recency.First!.Value);
        }
    }

    /// <summary>Gets whether a response is tracked (without refreshing it).</summary>
    public bool Contains(string responseId)
    {
        lock (_gate) return _byId.ContainsKey(responseId);
    }

    /// <summary>
    /// Finds a tracked response by id within <paramref name="scope"/>; an idle-expired one is evicted and not returned, and
    /// one of another scope is not returned (a conversation id presented under the wrong scope is unknown).
    /// </summary>
    public ResponseNode? Find(string scope, string responseId)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(responseId, out var entry) || entry.Node.Scope != scope) return null;
            var now = _time.GetUtcNow();
            if (now - entry.LastUsed > _idleTimeout)
            {
                Remove(entry);
                return null;
            }

            Touch(entry, now);
            return entry.Node;
        }
    }

    /// <summary>
    /// Finds the longest tracked transcript of <paramref name="scope"/> that the given history starts with, compared by
    /// content (reasoning ignored).
    /// Returns the node and how many of <paramref name="items"/> it covers.
    /// </summary>
    public (ResponseNode Node, int CoveredItems)? FindLongestPrefix(string scope, IReadOnlyList<InputItem> items)
    {
        // A transcript with more keys than the history has items that could carry one can never be its prefix, so only
        // the pending responses that could match are keyed now; the others wait for a longer history.
        var couldHaveKeys = 0;
        foreach (var item in items)
        {
            if (item.Kind != InputItemKind.Reasoning) couldHaveKeys++;
        }

        IndexPending(couldHaveKeys);
        var keys = new List<UInt128>(items.Count);
        var candidates = new List<(ResponseNode Node, int CoveredItems, int KeyCount)>();
        var hash = ResponseNode.SeedFor(scope);
        lock (_gate)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].MatchKey is not { } key) continue;
                keys.Add(key);
                hash = ResponseNode.CombineKey(hash, key);
                if (_byKeys.TryGetValue((keys.Count, hash), out var indexed)) candidates.Add((indexed.Node, i + 1, keys.Count));
            }
        }

        // Longest first; a hash match is confirmed key by key, so a collision can never splice two conversations.
        for (var c = candidates.Count - 1; c >= 0; c--)
        {
            var (node, covered, keyCount) = candidates[c];
            var nodeKeys = node.AllKeys();
            if (node.Scope == scope && nodeKeys.Count == keyCount && nodeKeys.SequenceEqual(keys.Take(keyCount)))
            {
                lock (_gate)
                {
                    if (_byId.TryGetValue(node.ResponseId, out var entry) && ReferenceEquals(entry.Node, node)) Touch(entry, _time.GetUtcNow());
                }

                return (node, covered);
            }
        }

        return null;
    }

    /// <summary>
    /// Puts the pending responses that could be a prefix of a history with <paramref name="maxKeys"/> keyed items
    /// (<see cref="ResponseNode.MinKeyCount"/> at most that) into the content index; the rest stay pending. Keys are
    /// computed outside the lock: it is the costly part, and a node's keys never change. Of two responses with the same
    /// keys, the one added later wins, whatever order they are indexed in.
    /// </summary>
    /// <remarks>Walking the pending list is a counter comparison per pending response, and only calls without a
    /// ConversationId do it; the key computation itself happens at most once per response.</remarks>
    private void IndexPending(int maxKeys)
    {
        List<ResponseNode>? ready = null;
        lock (_gate)
        {
            foreach (var entry in _unindexed)
            {
                if (entry.Node.MinKeyCount <= maxKeys) (ready ??= []).Add(entry.Node);
            }
        }

        if (ready is null) return;
        foreach (var node in ready) _ = node.KeyHash;

        lock (_gate)
        {
            // Whatever was evicted or replaced meanwhile has left the list; whatever was added meanwhile is checked too.
            for (var current = _unindexed.First; current is not null;)
            {
                var next = current.Next;
                var entry = current.Value;
                if (entry.Node.MinKeyCount <= maxKeys)
                {
                    _unindexed.Remove(current);
                    entry.Unindexed = null;
                    entry.Indexed = true;
                    var key = (entry.Node.KeyCount, entry.Node.KeyHash);
                    if (!_byKeys.TryGetValue(key, out var existing) || existing.Sequence < entry.Sequence) _byKeys[key] = entry;
                }

                current = next;
            }
        }
    }

    private void Touch(TrackedResponse entry, DateTimeOffset now)
    {
        entry.LastUsed = now;
        _recency.Remove(entry.Recency!);
        _recency.AddLast(entry.Recency!);
    }

    private void Remove(TrackedResponse entry)
    {
        _byId.Remove(entry.Node.ResponseId);
        Unlink(entry);
    }

    private void Unlink(TrackedResponse entry)
    {
        _recency.Remove(entry.Recency!);
        if (entry.Unindexed is { } unindexed)
        {
            _unindexed.Remove(unindexed);
            entry.Unindexed = null;
        }

        if (entry.Indexed)
        {
            var key = (entry.Node.KeyCount, entry.Node.KeyHash);
            if (_byKeys.TryGetValue(key, out var indexed) && ReferenceEquals(indexed, entry)) _byKeys.Remove(key);
            entry.Indexed = false;
        }
    }
}
