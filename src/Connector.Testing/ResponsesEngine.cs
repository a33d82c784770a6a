namespace ResponsesWebSocket.Testing;

/// <summary>
/// The transport-independent heart of the server: takes a parsed create request, applies create and response
/// faults and the continuation rules, asks the model, and updates the connection cache and the server-wide store.
/// </summary>
internal sealed class ResponsesEngine(ScriptedModel model, FaultPlan faults, ServerActivity activity, ReasoningRules reasoning, TimeProvider timeProvider)
{
    private readonly ResponseStore _store = new();
    private readonly ResponsePlanner _planner = new(new IdGenerator(), model, reasoning, timeProvider);

    public PreparedCreate Prepare(CreateRequest request, ReceivedRequest received, ConnectionState? connection, ServerTransport transport)
    {
        if (faults.TryTake(FaultPoint.Create, transport, received, out var createFault))
        {
            Evict(connection);
            return new PreparedCreate(null, null, createFault!.Error, ErrorInjected: true,
                CloseAfterError: createFault.Kind == FaultKind.ConnectionLimitOnCreate);
        }

        if (reasoning.Validate(request, _store) is { } invalid)
        {
            Evict(connection);
            return new PreparedCreate(null, null, invalid);
        }

        if (ToolChoice.Validate(request.Root, request.Tools) is { } invalidChoice)
        {
            Evict(connection);
            return new PreparedCreate(null, null, invalidChoice);
        }

        var context = ContextResolver.Resolve(request, connection, _store, out var duplicates, out var error);
        if (context is null)
        {
            Evict(connection);
            return new PreparedCreate(null, null, error);
        }

        activity.AddDuplicateItems(duplicates);

        faults.TryTake(FaultPoint.Response, transport, received, out var responseFault);
        var shapingFault = responseFault is { ShapesEvents: true } ? responseFault : null;
        var deliveryFault = responseFault is { ShapesEvents: false } ? responseFault : null;
        var plan = _planner.Plan(request, context, connection?.Id ?? 0, transport, shapingFault);

        // Commit before delivery: once the client can see the terminal event, a continuation must already resolve.
        if (plan.Result is not { } result)
        {
            Evict(connection);
        }
        else
        {
            connection?.MostRecent = result;
            if (request.Store)
            {
                _store.Save(result);
            }
        }

        return new PreparedCreate(plan, deliveryFault, null);
    }

    /// <summary>A failed turn evicts the connection's cached response (protocol.md §4), so its id stops resolving there.</summary>
    public static void Evict(ConnectionState? connection) => connection?.MostRecent = null;
}
