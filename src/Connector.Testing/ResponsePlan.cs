namespace ResponsesWebSocket.Testing;

/// <summary>Everything one response will send, decided before the first byte goes out.</summary>
/// <param name="Events">The messages in order, normally ending with the terminal event(s).</param>
/// <param name="Result">
/// The response as a continuation source (its context and output items), or <see langword="null"/> when it cannot be
/// continued (it failed, or a raw reply had no usable terminal), which evicts the connection's cache.
/// </param>
/// <param name="FinalResponseJson">The final response object for non-streaming HTTP, or <see langword="null"/> when there is none.</param>
/// <param name="StreamError">
/// An error that cut the stream short (<see cref="FaultPlan.ErrorAfterEvents"/>): non-streaming HTTP answers it as a
/// status with a JSON error instead of <paramref name="FinalResponseJson"/>.
/// </param>
internal sealed record ResponsePlan(IReadOnlyList<ResponseEvent> Events, CachedResponse? Result, byte[]? FinalResponseJson, ApiError? StreamError = null);
