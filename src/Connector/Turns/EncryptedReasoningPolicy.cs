using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Diagnostics;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Turns;

/// <summary>
/// Decides, per request, whether to ask for <c>reasoning.encrypted_content</c>, and learns which models reject it.
/// </summary>
/// <remarks>
/// There is no reliable list of which models reason: reasoning models return reasoning items on every turn (and with
/// <c>store=false</c> those are only resendable with their encrypted content), while models without reasoning reject the
/// include with 400 <c>param: include</c>. So in <see cref="EncryptedReasoningMode.Auto"/> the client asks, and a model
/// that answers that 400 is remembered for the life of this client: the turn is resent once without the include, and
/// later turns never ask that model again.
/// </remarks>
internal sealed class EncryptedReasoningPolicy
{
    // Model names come from callers; a bound keeps a caller that invents names per request from growing this forever.
    private const int MaxRememberedModels = 256;

    private readonly EncryptedReasoningMode _mode;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _rejecting = new(StringComparer.Ordinal);

    public EncryptedReasoningPolicy(EncryptedReasoningMode mode, ILogger logger)
    {
        _mode = mode;
        _logger = logger;
    }

    /// <summary>Turns the mapper's default off for a model known to reject the include.</summary>
    public void Apply(CreateRequest request)
    {
        if (_mode == EncryptedReasoningMode.Auto && request.IncludeEncryptedReasoning && _rejecting.ContainsKey(request.Model))
        {
            request.IncludeEncryptedReasoning = false;
        }
    }

    /// <summary>
    /// Whether <paramref name="failure"/> is the service rejecting the include this client added on its own to
    /// <paramref name="request"/>, so that the request may go again without it (<see cref="FallBack"/>).
    /// </summary>
    public bool CanFallBack(CreateRequest request, ResponsesException failure)
    {
        if (_mode != EncryptedReasoningMode.Auto || !request.IncludeEncryptedReasoning) return false;

        // The caller asked for it explicitly: that is their request to make, and their error to see.
        var callerInclude = CallerInclude(request);
        if (callerInclude is { } include && CreateRequestWriter.IncludesEncryptedReasoning(include)) return false;
        return RejectsEncryptedReasoning(failure, callerHasInclude: callerInclude is not null);
    }

    /// <summary>Remembers the model as one that rejects the include, and turns the include off on <paramref name="request"/>.</summary>
    public void FallBack(CreateRequest request)
    {
        if (_rejecting.Count >= MaxRememberedModels) _rejecting.Clear();
        _rejecting[request.Model] = true;
        request.IncludeEncryptedReasoning = false;
        Log.EncryptedReasoningUnsupported(_logger, request.Model);
    }

    // The service's words are "Encrypted content is not supported with this model." with param "include". A bad entry
    // of the caller's own include list also names that param, so without the words it only counts when the caller
    // sent no include of their own.
    private static bool RejectsEncryptedReasoning(ResponsesException failure, bool callerHasInclude) =>
        failure.Kind == ResponsesErrorKind.ServiceError
        && failure.StatusCode is null or 400
        && (failure.Message.Contains("encrypted content", StringComparison.OrdinalIgnoreCase)
            || (failure.Param == "include" && !callerHasInclude));

    private static JsonElement? CallerInclude(CreateRequest request)
    {
        foreach (var (key, value) in request.Extra)
        {
            if (key == "include") return value;
        }

        return null;
    }
}
