namespace ResponsesWebSocket.Testing;

/// <summary>The decision for one create request: either a response plan to deliver, or an error to send.</summary>
/// <param name="Plan">The response to deliver, when there is no error.</param>
/// <param name="DeliveryFault">A fault that changes how the plan's events are delivered.</param>
/// <param name="Error">The error that replaces the response.</param>
/// <param name="ErrorInjected">Whether the error came from <see cref="FaultPlan.ErrorOnNextCreate"/> (sent as an event even over SSE).</param>
/// <param name="CloseAfterError">Whether the server closes the socket after the error (the connection limit).</param>
internal sealed record PreparedCreate(
    ResponsePlan? Plan,
    InjectedFault? DeliveryFault,
    ApiError? Error,
    bool ErrorInjected = false,
    bool CloseAfterError = false);
