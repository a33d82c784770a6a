namespace ResponsesWebSocket.Testing;

/// <summary>
/// Decides the complete event sequence of one response: <c>response.created</c>, <c>response.in_progress</c>, the
/// output items, and the terminal event, shaped by the scripted reply and by any event-shaping fault.
/// </summary>
internal sealed class ResponsePlanner(IdGenerator ids, ScriptedModel model, ReasoningRules reasoning, TimeProvider timeProvider)
{
    // What a reasoning model spends thinking beyond its visible summary: fixed, so usage stays deterministic.
    private const int HiddenReasoningTokens = 16;

    public ResponsePlan Plan(
        CreateRequest request,
        ResolvedContext context,
        int connectionId,
        ServerTransport transport,
        InjectedFault? shapingFault)
    {
        // The model is asked only for a response it will answer: not for a warmup, nor when a fault fails the response.
        var answer = shapingFault?.Kind is FaultKind.FailResponse or FaultKind.ErrorThenFailed || request.IsWarmup
            ? default
            : Ask(request, context, connectionId);
        if (answer.Reply?.RawFrames is { } rawFrames)
        {
            return RawReplyPlanner.Plan(rawFrames, context);
        }

        var snapshot = new ResponseSnapshot(ids.Next("resp"), timeProvider.GetUtcNow().ToUnixTimeSeconds(), request);
        var events = new EventListBuilder();
        events.AddResponse("response.created", snapshot);

        switch (shapingFault?.Kind)
        {
            case FaultKind.FailResponse:
                events.AddResponse("response.in_progress", snapshot);
                Fail(events, snapshot, shapingFault.Error!);
                break;
            case FaultKind.ErrorThenFailed:
                var error = shapingFault.Error!;
                events.AddPrebuilt("error", sequence => ErrorEvent(error, transport, sequence));
                Fail(events, snapshot, error);
                break;
            default:
                if (request.IsWarmup)
                {
                    // A warmup only prepares state: no output, input tokens only (protocol.md §3.4).
                    Finish(events, snapshot, "completed", Usage(request, context, snapshot, summaryTokens: 0, hiddenTokens: 0));
                }
                else
                {
                    events.AddResponse("response.in_progress", snapshot);
                    Generate(request, context, events, snapshot, answer);
                }

                break;
        }

        if (shapingFault?.Kind == FaultKind.TrailingTerminal)
        {
            // Some servers follow the terminal event with response.done for the same response (protocol.md §6.2).
            events.AddResponse("response.done", snapshot);
        }

        ApiError? streamError = null;
        if (shapingFault?.Kind == FaultKind.ErrorAfterEvents)
        {
            // The response is generated in full, then cut: the events before the cut are exactly what it would have sent.
            streamError = shapingFault.Error!;
            events.TruncateTo(shapingFault.EventCount);
            events.AddPrebuilt("error", sequence => ErrorEvent(streamError, transport, sequence));
        }

        var failed = snapshot.Status == "failed" || streamError is not null;
        return new ResponsePlan(
            events.Events,
            failed ? null : new CachedResponse(snapshot.Id, context.Items, [.. snapshot.Output]),
            JsonBytes.Value(snapshot.WriteTo),
            streamError);
    }

    private static byte[] ErrorEvent(ApiError error, ServerTransport transport, int sequence) => transport == ServerTransport.WebSocket
        ? error.ToWebSocketEvent(sequence)
        : error.ToServerSentEvent(sequence);

    private ModelAnswer Ask(CreateRequest request, ResolvedContext context, int connectionId)
    {
        var turn = new ModelTurn(context.Items, context.NewInput, request.Model, request.Instructions, request.Tools, request.Root, connectionId);
        try
        {
            return new ModelAnswer(model.NextReply(turn), null);
        }
#pragma warning disable CA1031 // A throwing test responder must surface as a failed response, not a dead connection.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return new ModelAnswer(null, exception);
        }
    }

    private void Generate(CreateRequest request, ResolvedContext context, EventListBuilder events, ResponseSnapshot snapshot, ModelAnswer answer)
    {
        if (answer.Reply is not { } reply)
        {
            Fail(events, snapshot, new ApiError(500, "server_error", "server_error", "The scripted responder threw: " + answer.Failure?.Message, null));
            return;
        }

        var items = new OutputItemEvents(events, snapshot, ids);

        // A reasoning model reasons on every turn, asked or not (protocol.md §3.2); a scripted summary is shown on any model.
        var reasons = reasoning.IsReasoningModel(request.Model);
        if (reasons || reply.ReasoningSummary is not null)
        {
            items.Reasoning(reply.ReasoningSummary ?? string.Empty, request.IncludeEncryptedReasoning ? reasoning.Seal : null);
        }

        if (reply.Text is not null || reply.Refusal is not null)
        {
            items.Message(reply.Text, reply.Citations, reply.Refusal);
        }

        foreach (var call in reply.FunctionCalls)
        {
            items.FunctionCall(call);
        }

        if (reply.Failure is { } failure)
        {
            Fail(events, snapshot, new ApiError(500, "server_error", failure.Code, failure.Message, null));
            return;
        }

        var usage = Usage(request, context, snapshot, TokenEstimator.Count(reply.ReasoningSummary), reasons ? HiddenReasoningTokens : 0);
        if (reply.IncompleteReason is not null)
        {
            snapshot.IncompleteReason = reply.IncompleteReason;
            Finish(events, snapshot, "incomplete", usage);
        }
        else
        {
            Finish(events, snapshot, "completed", usage);
        }
    }

    private static void Finish(EventListBuilder events, ResponseSnapshot snapshot, string status, UsageCounts usage)
    {
        snapshot.Status = status;
        snapshot.Usage = usage;
        events.AddResponse("response." + status, snapshot);
    }

    private static void Fail(EventListBuilder events, ResponseSnapshot snapshot, ApiError error)
    {
        snapshot.Status = "failed";
        snapshot.Error = (error.Code ?? "server_error", error.Message);
        events.AddResponse("response.failed", snapshot);
    }

    // Deterministic counts: instructions and items by size; the chained prefix counts as cached only on the
    // connection-local fast path, mirroring the latency benefit the live service describes. Hidden reasoning is
    // billed as output the client never sees, so it adds to output and reasoning tokens alike.
    private static UsageCounts Usage(CreateRequest request, ResolvedContext context, ResponseSnapshot snapshot, int summaryTokens, int hiddenTokens)
    {
        var input = Math.Max(1, TokenEstimator.Count(request.Instructions) + TokenEstimator.Count(context.Items));
        var cached = context.FromConnectionCache ? Math.Min(input, TokenEstimator.Count(context.Prefix)) : 0;
        var output = TokenEstimator.Count(snapshot.Output) + hiddenTokens;
        return new UsageCounts(input, cached, output, Math.Min(output, summaryTokens + hiddenTokens));
    }

    /// <summary>What the model said, or why it could not say anything.</summary>
    private readonly record struct ModelAnswer(ScriptedReply? Reply, Exception? Failure);
}
