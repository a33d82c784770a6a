using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// Which conversation a call continues and which of its items are new. Produced by <see cref="ChainPlanner"/>.
/// </summary>
internal sealed class ConversationPlan
{
    public ConversationPlan(ResponseNode? parent, List<InputItem> newItems, UInt128 fingerprint, bool store, string? passThroughPreviousResponseId = null, string? serverConversationId = null)
    {
        Parent = parent;
        NewItems = newItems;
        Fingerprint = fingerprint;
        Store = store;
        PassThroughPreviousResponseId = passThroughPreviousResponseId;
        ServerConversationId = serverConversationId;
    }

    /// <summary>Gets the response this call continues, when the client knows it.</summary>
    public ResponseNode? Parent { get; }

    /// <summary>Gets the items the caller added since <see cref="Parent"/> (all items for a new conversation).</summary>
    public List<InputItem> NewItems { get; }

    /// <summary>Gets the fingerprint of this request's chain-defining fields.</summary>
    public UInt128 Fingerprint { get; }

    /// <summary>Gets whether this request stores its response.</summary>
    public bool Store { get; }

    /// <summary>Gets a previous response id the client does not know but the service may (stored responses).</summary>
    public string? PassThroughPreviousResponseId { get; }

    /// <summary>Gets a server-side conversation id (<c>conv_…</c>): the service keeps that history, the client does not chain.</summary>
    public string? ServerConversationId { get; }

    /// <summary>Gets the conversation scope the call was made in (see <see cref="ResponseNode.Scope"/>).</summary>
    public string Scope { get; init; } = "";

    /// <summary>Gets or sets whether updates report the conversation id (see <see cref="ConversationIdMode"/>).</summary>
    public bool ReportConversationId { get; init; } = true;

    /// <summary>Gets whether the settings that define a chain are unchanged since <see cref="Parent"/>.</summary>
    public bool SameSettings => Parent is not null && Parent.Fingerprint == Fingerprint;

    /// <summary>
    /// Decides how the turn goes out on a channel whose connection-local cache holds <paramref name="cachedResponseId"/>:
    /// chained (previous_response_id and only the new items) when that is the previous response, or when both are stored
    /// (the service can hydrate it); otherwise a full create from the transcript. A pure function of the plan, the
    /// channel's cache and whether a lost chain forced a full create. Returns the previous response id (null for a full
    /// create) and why.
    /// </summary>
    /// <param name="cachedResponseId">The channel's <c>CachedResponseId</c> (always null over HTTP).</param>
    /// <param name="forceFull">The service said the previous response was not found: send everything.</param>
    public (string? PreviousResponseId, ChainStatus Status) Decide(string? cachedResponseId, bool forceFull)
    {
        if (ServerConversationId is not null) return (null, ChainStatus.ServerConversation);
        if (Parent is null) return PassThroughPreviousResponseId is not null && !forceFull
            ? (PassThroughPreviousResponseId, ChainStatus.Chained)
            : (null, ChainStatus.NewConversation);
        if (forceFull) return (null, ChainStatus.PreviousResponseNotFound);
        if (!SameSettings) return (null, ChainStatus.SettingsChanged);
        if (cachedResponseId == Parent.ResponseId || (Parent.Store && Store)) return (Parent.ResponseId, ChainStatus.Chained);
        return (null, ChainStatus.NotCachedOnSocket);
    }

    /// <summary>The same plan, reporting no conversation id.</summary>
    public ConversationPlan WithoutConversationId() =>
        new(Parent, NewItems, Fingerprint, Store, PassThroughPreviousResponseId, ServerConversationId) { ReportConversationId = false, Scope = Scope };

    /// <summary>The input a full create must carry: the whole transcript, then the new items.</summary>
    public List<InputItem> FullInput()
    {
        if (Parent is null) return NewItems;
        var all = Parent.AllItems();
        all.AddRange(NewItems);
        return all;
    }
}
