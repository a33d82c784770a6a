using System.Globalization;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// Keeps the in-memory transcripts and a shared <see cref="ITranscriptStore"/> in step: every completed response is
/// written through, and a conversation this process does not know is read back, node by node, into memory (which then
/// serves it without a round trip: a read-through cache).
/// </summary>
/// <remarks>
/// A node read back holds no channel, so its next turn goes out as a full create on this process's socket, and chains
/// there afterwards. Anything unreadable in the store (corrupt, foreign, another scope's, an expired ancestor) reads as
/// missing: the call then behaves as if the conversation were unknown, never crashes.
/// </remarks>
internal sealed class SharedTranscripts
{
    // A chain longer than this is not rebuilt from the store: one call must not turn into unbounded round trips.
    private const int MaxChainLength = 10_000;

    // Content lookups per call: the longest few candidate prefixes of a resent history, each one round trip.
    private const int MaxContentLookups = 3;

    private readonly ITranscriptStore _store;
    private readonly TranscriptStore _local;
    private readonly TimeSpan _idleTimeout;
    private readonly ILogger _logger;

    public SharedTranscripts(ITranscriptStore store, TranscriptStore local, TimeSpan idleTimeout, ILogger logger)
    {
        _store = store;
        _local = local;
        _idleTimeout = idleTimeout;
        _logger = logger;
    }

    /// <summary>
    /// Writes a completed response through to the store. A store that fails is logged, not thrown: the response itself
    /// completed and the in-memory transcript holds it; only other processes miss it.
    /// </summary>
    public async ValueTask SaveAsync(ResponseNode node, CancellationToken cancellationToken)
    {
        var entry = new TranscriptEntry
        {
            Scope = node.Scope,
            ResponseId = node.ResponseId,
            ParentResponseId = node.Parent?.ResponseId,
            ContentKey = node.KeyCount == 0 ? null : ContentKey(node.KeyCount, node.KeyHash),
            Payload = TranscriptNodeCodec.Encode(new TranscriptNodeData(node.ResponseId, node.Parent?.ResponseId, node.Fingerprint, node.Store, node.Items)),
        };

        try
        {
            await _store.SetAsync(entry, _idleTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.TranscriptSaveFailed(_logger, node.ResponseId, ex.Message, ex);
        }
    }

    /// <summary>Whether a call continues by an id (not a server-side <c>conv_…</c>) that memory does not know in its scope.</summary>
    public bool IsUnknownId(string scope, string? conversationId) =>
        conversationId is { Length: > 0 }
        && !conversationId.StartsWith("conv_", StringComparison.OrdinalIgnoreCase)
        && _local.Find(scope, conversationId) is null;

    /// <summary>
    /// Whether a call planned from memory may still continue a conversation held elsewhere: it resends a history (no id)
    /// that extends nothing in memory, yet holds model output, which another process may have produced.
    /// </summary>
    public static bool MayContinueElsewhere(ConversationPlan plan, string? conversationId, List<InputItem> incoming) =>
        conversationId is not { Length: > 0 } && plan.Parent is null && incoming.Exists(static i => i.IsModelOutput);

    /// <summary>Reads what the store knows of this call's conversation into memory; planning then finds it there.</summary>
    public async ValueTask LookUpAsync(string scope, string? conversationId, List<InputItem> incoming, CancellationToken cancellationToken)
    {
        if (conversationId is { Length: > 0 })
        {
            await LoadChainAsync(scope, conversationId, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The transcript through any response ends with that response's output: the candidate prefixes end where model
        // output is followed by input, longest first.
        var ends = new List<(int Count, ulong Hash)>();
        var hash = ResponseNode.SeedFor(scope);
        var keys = 0;
        for (var i = 0; i < incoming.Count; i++)
        {
            if (incoming[i].MatchKey is { } key)
            {
                hash = ResponseNode.CombineKey(hash, key);
                keys++;
            }

            var endsOutput = incoming[i].IsModelOutput && (i + 1 == incoming.Count || !incoming[i + 1].IsModelOutput);
            if (endsOutput && keys > 0) ends.Add((keys, hash));
        }

        for (var c = ends.Count - 1; c >= 0 && c >= ends.Count - MaxContentLookups; c--)
        {
            var responseId = await _store.FindByContentKeyAsync(scope, ContentKey(ends[c].Count, ends[c].Hash), cancellationToken).ConfigureAwait(false);
            if (responseId is not null && await LoadChainAsync(scope, responseId, cancellationToken).ConfigureAwait(false)) return;
        }
    }

    /// <summary>
    /// Rebuilds the chain ending at <paramref name="responseId"/> in memory, reading only what memory does not hold.
    /// Returns false when any part of it is missing or unreadable (then nothing is added).
    /// </summary>
    private async ValueTask<bool> LoadChainAsync(string scope, string responseId, CancellationToken cancellationToken)
    {
        var missing = new List<TranscriptNodeData>();
        string? id = responseId;
        ResponseNode? known = null;
        while (id is not null && (known = _local.Find(scope, id)) is null)
        {
            if (missing.Count >= MaxChainLength) return false;
            var entry = await _store.GetAsync(scope, id, cancellationToken).ConfigureAwait(false);
            if (entry is null || entry.ResponseId != id || !TranscriptNodeCodec.TryDecode(entry.Payload.Span, out var data) || data.ResponseId != id)
            {
                return false;
            }

            missing.Add(data);
            id = data.ParentResponseId;
        }

        var parent = known;
        for (var i = missing.Count - 1; i >= 0; i--)
        {
            var data = missing[i];
            var node = new ResponseNode(parent, data.Items, data.ResponseId, data.Fingerprint, data.Store, scope);
            _local.Add(node);
            parent = node;
        }

        return true;
    }

    /// <summary>The opaque content key of a transcript: how many match keys it has and their rolling hash.</summary>
    private static string ContentKey(int keyCount, ulong keyHash) =>
        keyCount.ToString(CultureInfo.InvariantCulture) + ":" + keyHash.ToString("x16", CultureInfo.InvariantCulture);
}
