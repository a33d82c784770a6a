namespace ResponsesWebSocket.Testing;

/// <summary>Everything one response will send, decided before the first byte goes out.</summary>
/// <param name="Events">The events in order, ending with the terminal event(s).</param>
/// <param name="Result">The response as a continuation source (its context and output items).</param>
/// <param name="Failed">Whether it ends with <c>response.failed</c>, which makes it unusable as a continuation source.</param>
/// <param name="FinalResponseJson">The final response object, for non-streaming HTTP.</param>
internal sealed record ResponsePlan(IReadOnlyList<ResponseEvent> Events, CachedResponse Result, bool Failed, byte[] FinalResponseJson);
