using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// One completed response in a conversation: the items it added to the transcript, and a link to the response before it.
/// </summary>
/// <remarks>
/// Transcripts are persistent linked lists: a turn adds a node holding only its own new input and the model's output,
/// so a 40-iteration tool loop stores each item once, and continuing from an older response (a retry, a restored
/// session) simply branches. A node is immutable once created, and holds nothing process-local: which channel caches
/// which response is the transport's knowledge (<c>IResponseChannel.CachedResponseId</c>), not the transcript's.
/// </remarks>
internal sealed class ResponseNode
{
    public ResponseNode(ResponseNode? parent, IReadOnlyList<InputItem> items, string responseId, UInt128 fingerprint,
        bool store, string scope = "")
    {
        Parent = parent;
        Scope = parent?.Scope ?? scope;
        Items = items;
        ResponseId = responseId;
        Fingerprint = fingerprint;
        Store = store;
        ItemCount = (parent?.ItemCount ?? 0) + items.Count;
        long bytes = 0;
        var keyed = 0;
        foreach (var item in items)
        {
            bytes += item.Json.Length;
            if (item.Kind is InputItemKind.Message or InputItemKind.FunctionCall or InputItemKind.FunctionCallOutput) keyed++;
        }

        ByteCount = (parent?.ByteCount ?? 0) + bytes;
        MinKeyCount = (parent?.MinKeyCount ?? 0) + keyed;

        // The match keys (KeyHash, KeyCount) are not computed here: a caller that continues by ConversationId never needs
        // them, and computing one costs a JSON parse, a canonical rewrite and a SHA-256 of the item. They are computed on
        // first use, when a resent history has to be matched by content.
    }

    /// <summary>The hash of an empty key sequence in the default ("") scope.</summary>
    public const ulong KeyHashSeed = 14695981039346656037UL;

    /// <summary>
    /// The hash of an empty key sequence in <paramref name="scope"/>: the scope is the first thing hashed, so the same
    /// history under two scopes has two unrelated content hashes (and matches are confirmed by scope anyway).
    /// </summary>
    public static ulong SeedFor(string scope) =>
        scope.Length == 0 ? KeyHashSeed : CombineKey(KeyHashSeed, ContentHash.Of(System.Text.Encoding.UTF8.GetBytes(scope)));

    /// <summary>Gets the response this one continued, if it is known.</summary>
    public ResponseNode? Parent { get; }

    /// <summary>Gets the items this turn added: the new input sent (logically), then the model's output items.</summary>
    public IReadOnlyList<InputItem> Items { get; }

    /// <summary>
    /// Gets the conversation scope (a tenant or user, "" when none): only a call of the same scope continues or matches
    /// this transcript. Inherited from the parent: a chain never changes scope.
    /// </summary>
    public string Scope { get; }

    /// <summary>Gets the response id (the conversation id reported to callers).</summary>
    public string ResponseId { get; }

    /// <summary>Gets the hash of the request fields that must not change along a chain (model, instructions, …).</summary>
    public UInt128 Fingerprint { get; }

    /// <summary>Gets whether the response was stored by the service (then any socket can continue it).</summary>
    public bool Store { get; }

    /// <summary>Gets the number of items in the whole transcript up to and including this node.</summary>
    public int ItemCount { get; }

    /// <summary>Gets the serialized size of the whole transcript.</summary>
    public long ByteCount { get; }

    /// <summary>Gets the rolling hash of the match keys of the whole transcript (reasoning excluded). Computed on first use.</summary>
    public ulong KeyHash
    {
        get
        {
            EnsureKeys();
            return _keyHash;
        }
    }

    /// <summary>Gets how many match keys the whole transcript has. Computed on first use.</summary>
    public int KeyCount
    {
        get
        {
            EnsureKeys();
            return _keyCount;
        }
    }

    /// <summary>
    /// Gets a lower bound of <see cref="KeyCount"/> that needs no key: messages, function calls and tool results always
    /// have one. Lets a planner rule out a match without computing any key.
    /// </summary>
    public int MinKeyCount { get; }

    private ulong _keyHash;
    private int _keyCount;
    private volatile bool _keysComputed;

    /// <summary>Gets every item of the transcript, oldest first (what a full create must send).</summary>
    public List<InputItem> AllItems()
    {
        var chain = new Stack<ResponseNode>();
        for (var node = this; node is not null; node = node.Parent) chain.Push(node);
        var items = new List<InputItem>(ItemCount);
        while (chain.Count > 0) items.AddRange(chain.Pop().Items);
        return items;
    }

    /// <summary>Gets the match keys of the whole transcript, oldest first.</summary>
    public List<UInt128> AllKeys()
    {
        var keys = new List<UInt128>(KeyCount);
        foreach (var item in AllItems())
        {
            if (item.MatchKey is { } key) keys.Add(key);
        }

        return keys;
    }

    /// <summary>
    /// Computes the rolling key hash of this node and of every ancestor that has none yet, oldest first and without
    /// recursion (a chain can be thousands of turns long). Racing threads compute the same values, so no lock is needed;
    /// the volatile flag is written last, so a reader that sees it set sees the values.
    /// </summary>
    private void EnsureKeys()
    {
        if (_keysComputed) return;
        var pending = new Stack<ResponseNode>();
        for (var node = this; node is not null && !node._keysComputed; node = node.Parent) pending.Push(node);
        while (pending.TryPop(out var node))
        {
            var hash = node.Parent?._keyHash ?? SeedFor(node.Scope);
            var count = node.Parent?._keyCount ?? 0;
            foreach (var item in node.Items)
            {
                if (item.MatchKey is { } key)
                {
                    hash = CombineKey(hash, key);
                    count++;
                }
            }

            node._keyHash = hash;
            node._keyCount = count;
            node._keysComputed = true;
        }
    }

    /// <summary>Extends a rolling key hash by one key.</summary>
    public static ulong CombineKey(ulong hash, UInt128 key) =>
        unchecked((hash ^ (ulong)key ^ (ulong)(key >> 64)) * 1099511628211UL + 0x9E3779B97F4A7C15UL);
}
