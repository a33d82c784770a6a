using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// Decides which known conversation a call continues and which of its items are new.
/// </summary>
/// <remarks>
/// Two ways callers continue, both supported:
/// <list type="bullet">
/// <item>With <c>ChatOptions.ConversationId</c> (FunctionInvokingChatClient, Agent Framework sessions): the messages are the
/// new ones. If a caller sends the whole history anyway, the known prefix is cut off.</item>
/// <item>Without it, resending the full history (hosts that keep their own chat history, plain callers, reducers): the history is matched by
/// content against the known transcripts; the longest one it extends is continued and only the tail is new. No match
/// (an edited, trimmed or reordered history) starts a new conversation with the caller's full input.</item>
/// </list>
/// In both, the model's own output items that the transcript already holds are never counted as new.
/// </remarks>
internal static class ChainPlanner
{
    /// <summary>Plans a call.</summary>
    /// <exception cref="ResponsesException">The conversation id is unknown and responses are not stored, so its history cannot be recovered.</exception>
    public static ConversationPlan Plan(TranscriptStore store, string scope, string? conversationId, List<InputItem> incoming, UInt128 fingerprint, bool storeResponses)
    {
        if (conversationId is { Length: > 0 } && conversationId.StartsWith("conv_", StringComparison.OrdinalIgnoreCase))
        {
            return new ConversationPlan(null, incoming, fingerprint, storeResponses, serverConversationId: conversationId) { Scope = scope };
        }

        if (conversationId is { Length: > 0 })
        {
            var parent = store.Find(scope, conversationId);
            if (parent is null)
            {
                if (storeResponses)
                {
                    // Stored responses live at the service: chain by id even though this client never saw it.
                    return new ConversationPlan(null, incoming, fingerprint, storeResponses, passThroughPreviousResponseId: conversationId) { Scope = scope };
                }

                throw new ResponsesException(ResponsesErrorKind.UnknownConversation,
                    $"The conversation '{conversationId}' is not known to this client in this conversation scope (never seen, evicted, or another scope's), and responses are not stored "
                    + "(store=false), so its history cannot be recovered. Resend the full history without a ConversationId, or use store=true.")
                {
                    ResponseId = conversationId,
                };
            }

            var newItems = StripKnownPrefix(parent, incoming);
            return new ConversationPlan(parent, WithoutKnownModelItems(parent, newItems), fingerprint, storeResponses) { Scope = scope };
        }

        if (store.FindLongestPrefix(scope, incoming) is var (node, covered))
        {
            var tail = incoming.GetRange(covered, incoming.Count - covered);
            return new ConversationPlan(node, WithoutKnownModelItems(node, tail), fingerprint, storeResponses) { Scope = scope };
        }

        return new ConversationPlan(null, incoming, fingerprint, storeResponses) { Scope = scope };
    }

    /// <summary>Cuts the transcript off the front of <paramref name="incoming"/> when a caller sent an id and the whole history.</summary>
    private static List<InputItem> StripKnownPrefix(ResponseNode parent, List<InputItem> incoming)
    {
        // The usual case (FunctionInvokingChatClient, agent sessions) sends only the new items: fewer items that could have
        // a key than the transcript surely has keys rules the whole history out without computing a single key.
        var couldHaveKeys = 0;
        foreach (var item in incoming)
        {
            if (item.Kind != InputItemKind.Reasoning) couldHaveKeys++;
        }

        if (couldHaveKeys < parent.MinKeyCount) return incoming;

        var first = incoming.FirstOrDefault(static i => i.MatchKey is not null)?.MatchKey;
        if (first is null || parent.KeyCount == 0) return incoming;

        var keys = parent.AllKeys();
        if (keys[0] != first) return incoming;

        var matched = 0;
        var index = 0;
        for (; index < incoming.Count && matched < keys.Count; index++)
        {
            if (incoming[index].MatchKey is not { } key) continue;
            if (key != keys[matched]) return incoming;
            matched++;
        }

        return matched == keys.Count ? incoming.GetRange(index, incoming.Count - index) : incoming;
    }

    /// <summary>Drops model output items (function calls, assistant messages, reasoning) that the transcript already holds.</summary>
    private static List<InputItem> WithoutKnownModelItems(ResponseNode parent, List<InputItem> items)
    {
        if (!items.Any(static i => i.IsModelOutput)) return items;

        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in parent.AllItems())
        {
            if (item.CallId is not null) known.Add("call:" + item.CallId);
            if (item.Id is not null) known.Add("id:" + item.Id);
        }

        return items.Where(i => !i.IsModelOutput
            || !((i.Kind == InputItemKind.FunctionCall && i.CallId is not null && known.Contains("call:" + i.CallId))
                 || (i.Id is not null && known.Contains("id:" + i.Id)))).ToList();
    }
}
