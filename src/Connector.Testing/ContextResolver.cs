using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Applies the continuation rules of protocol.md §4: a connection may continue from its most recent response;
/// anything else must have been stored (<c>store:true</c>), otherwise <c>previous_response_not_found</c>.
/// </summary>
internal static class ContextResolver
{
    public static ResolvedContext? Resolve(
        CreateRequest request,
        ConnectionState? connection,
        ResponseStore store,
        out int duplicateItems,
        out ApiError? error)
    {
        duplicateItems = 0;
        IReadOnlyList<JsonElement> prefix = [];
        var fromConnectionCache = false;

        if (request.PreviousResponseId is { } previousId)
        {
            CachedResponse? previous;
            if (connection?.FindCached(previousId) is { } recent)
            {
                previous = recent;
                fromConnectionCache = true;
            }
            else if (!store.TryGet(previousId, out previous))
            {
                error = ApiError.PreviousResponseNotFound(previousId);
                return null;
            }

            prefix = previous!.ContinuationPrefix;
            duplicateItems = CountDuplicates(prefix, request.Input);
        }

        var context = new ResolvedContext(prefix, request.Input, fromConnectionCache);
        error = FindOrphanToolOutput(context.Items);
        return error is null ? context : null;
    }

    // A client that re-sends items the server already holds duplicates context; tests assert this never happens.
    private static int CountDuplicates(IReadOnlyList<JsonElement> prefix, IReadOnlyList<JsonElement> input)
    {
        var held = new HashSet<string>(prefix.Select(IdentityOf).OfType<string>(), StringComparer.Ordinal);
        return input.Count(item => IdentityOf(item) is { } key && held.Contains(key));
    }

    private static string? IdentityOf(JsonElement item) => InputItems.TypeOf(item) switch
    {
        "function_call" when InputItems.StringProperty(item, "call_id") is { } callId => "function_call:" + callId,
        "function_call_output" when InputItems.StringProperty(item, "call_id") is { } outputCallId => "function_call_output:" + outputCallId,
        "reasoning" when InputItems.StringProperty(item, "id") is { } id => "reasoning:" + id,
        "message" when InputItems.IsMessageWithRole(item, "assistant") && InputItems.StringProperty(item, "id") is { } id => "message:" + id,
        _ => null,
    };

    private static ApiError? FindOrphanToolOutput(IReadOnlyList<JsonElement> items)
    {
        var callIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (InputItems.TypeOf(item) == "function_call" && InputItems.StringProperty(item, "call_id") is { } callId)
            {
                callIds.Add(callId);
            }
        }

        foreach (var item in items)
        {
            if (InputItems.TypeOf(item) == "function_call_output")
            {
                var callId = InputItems.StringProperty(item, "call_id") ?? string.Empty;
                if (!callIds.Contains(callId))
                {
                    return ApiError.NoToolCallFound(callId);
                }
            }
        }

        return null;
    }
}
