using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// The responses this client knows, by response id and by the content of their transcripts. Bounded in count and age.
/// </summary>
/// <remarks>
/// Eviction removes a response from both indexes: a later continuation by that id (with <c>store=false</c>) then fails as
/// unknown, and a resent history no longer matches it, so it goes out as a new chain with the caller's full input.
/// Nodes that a newer, still-tracked response descends from stay reachable through it; only lookups forget them.
/// </remarks>
internal sealed class TranscriptStore
{
    private readonly Dictionary<string, ResponseNode> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Count, ulong Hash), ResponseNode> _byKeys = [];
    private readonly Lock _gate = new();
    private readonly int _maxResponses;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;

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
            node.LastUsed = now;
            if (_byId.Remove(node.ResponseId, out var replaced)) RemoveKeyIndex(replaced);
            _byId[node.ResponseId] = node;
            _byKeys[(node.KeyCount, node.KeyHash)] = node;

            foreach (var expired in _byId.Values.Where(n => now - n.LastUsed > _idleTimeout).ToList()) Remove(expired);
            while (_byId.Count > _maxResponses)
            {
                Remove(_byId.Values.MinBy(static n => n.LastUsed)!);
            }
        }
    }

    /// <summary>Gets whether a response is tracked (without refreshing it).</summary>
    public bool Contains(string responseId)
    {
        lock (_gate) return _byId.ContainsKey(responseId);
    }

    /// <summary>Finds a tracked response by id; an idle-expired one is evicted and not returned.</summary>
    public ResponseNode? Find(string responseId)
    {
        lock (_gate)
        {
            if (!_byId.TryGetValue(responseId, out var node)) return null;
            var now = _time.GetUtcNow();
            if (now - node.LastUsed > _idleTimeout)
            {
                Remove(node);
                return null;
            }

            node.LastUsed = now;
            return node;
        }
    }

    /// <summary>
    /// Finds the longest tracked transcript that the given history starts with, compared by content (reasoning ignored).
    /// Returns the node and how many of <paramref name="items"/> it covers.
    /// </summary>
    public (ResponseNode Node, int CoveredItems)? FindLongestPrefix(IReadOnlyList<InputItem> items)
    {
        var keys = new List<UInt128>(items.Count);
        var candidates = new List<(ResponseNode Node, int CoveredItems, int KeyCount)>();
        var hash = ResponseNode.KeyHashSeed;
        lock (_gate)
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i].MatchKey is not { } key) continue;
                keys.Add(key);
                hash = ResponseNode.CombineKey(hash, key);
                if (_byKeys.TryGetValue((keys.Count, hash), out var node)) candidates.Add((node, i + 1, keys.Count));
            }
        }

        // Longest first; a hash match is confirmed key by key, so a collision can never splice two conversations.
        for (var c = candidates.Count - 1; c >= 0; c--)
        {
            var (node, covered, keyCount) = candidates[c];
            var nodeKeys = node.AllKeys();
            if (nodeKeys.Count == keyCount && nodeKeys.SequenceEqual(keys.Take(keyCount)))
            {
                lock (_gate) node.LastUsed = _time.GetUtcNow();
                return (node, covered);
            }
        }

        return null;
    }

    private void Remove(ResponseNode node)
    {
        _byId.Remove(node.ResponseId);
        RemoveKeyIndex(node);
    }

    private void RemoveKeyIndex(ResponseNode node)
    {
        if (_byKeys.TryGetValue((node.KeyCount, node.KeyHash), out var indexed) && ReferenceEquals(indexed, node))
        {
            _byKeys.Remove((node.KeyCount, node.KeyHash));
        }
    }
}
