namespace ResponsesWebSocket.Protocol;

/// <summary>An error as the service reported it, normalised from the nested WebSocket shape or the flat SSE shape.</summary>
/// <param name="Code">The service's error code (<c>previous_response_not_found</c>, …), if any.</param>
/// <param name="Message">The service's message, or a generic one when the event carried none.</param>
/// <param name="Param">The request parameter the error refers to, if any.</param>
/// <param name="ErrorType">The error type (<c>invalid_request_error</c>, <c>server_error</c>, …), if any.</param>
/// <param name="Status">The HTTP status the service associated with the error (<c>status</c> or <c>status_code</c>), if any.</param>
internal sealed record ResponsesError(string? Code, string Message, string? Param, string? ErrorType, int? Status)
{
    /// <summary>The message used when an error event carries no information at all.</summary>
    public const string GenericMessage = "The Responses service reported an error without details.";
}
