using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>Turns service errors into <see cref="ResponsesException"/> and <see cref="ErrorContent"/>.</summary>
internal static class ErrorMapper
{
    /// <summary>An <c>error</c> event.</summary>
    public static ResponsesException FromErrorEvent(ResponsesError error, string? responseId, bool outputSurfaced) =>
        new(ResponsesErrorKind.ServiceError, error.Message, error.Code, error.Status)
        {
            Param = error.Param,
            ErrorType = error.ErrorType,
            ResponseId = responseId,
            OutputSurfaced = outputSurfaced,
        };

    /// <summary>A <c>response.failed</c> event.</summary>
    public static ResponsesException FromFailedResponse(ResponseWire? response, bool outputSurfaced)
    {
        var error = response?.Error;
        var message = error?.Message is { Length: > 0 } m ? m : "The response failed without details.";
        return new ResponsesException(ResponsesErrorKind.ResponseFailed, message, error?.Code)
        {
            Param = error?.Param,
            ErrorType = error?.Type,
            ResponseId = response?.Id,
            OutputSurfaced = outputSurfaced,
        };
    }

    /// <summary>The same failure, annotated with the response id and whether output had been surfaced.</summary>
    public static ResponsesException WithContext(ResponsesException error, string? responseId, bool outputSurfaced) =>
        error.OutputSurfaced == outputSurfaced && error.ResponseId == responseId
            ? error
            : new ResponsesException(error.Kind, error.Message, error.Code, error.StatusCode, error.InnerException)
            {
                Param = error.Param,
                ErrorType = error.ErrorType,
                ResponseId = responseId ?? error.ResponseId,
                OutputSurfaced = outputSurfaced,
            };

    /// <summary>The in-stream form of a failure, yielded before the exception when output had already streamed.</summary>
    public static ErrorContent ToContent(ResponsesException error) => new(error.Message)
    {
        ErrorCode = error.Code ?? error.Kind.ToString(),
        Details = error.Param,
    };
}
