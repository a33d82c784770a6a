namespace ResponsesWebSocket;

/// <summary>
/// A failure reported by the Responses service or by the WebSocket connection to it.
/// </summary>
/// <remarks>
/// <see cref="Code"/>, <see cref="Param"/>, <see cref="ErrorType"/> and <see cref="StatusCode"/> are the service's own values
/// when it sent them. <see cref="OutputSurfaced"/> says whether any output of the failed response had already been
/// yielded to the caller: when it is <see langword="false"/> the call can be retried without duplicating output.
/// </remarks>
public class ResponsesException : Exception
{
    /// <summary>Initializes a new instance with a generic message.</summary>
    public ResponsesException()
        : this("The Responses request failed.")
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The error message.</param>
    public ResponsesException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ResponsesException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with every detail.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">The service's message, or the client's description of the failure.</param>
    /// <param name="code">The service's error code, if any.</param>
    /// <param name="statusCode">The HTTP status the service associated with the error, if any.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    public ResponsesException(ResponsesErrorKind kind, string message, string? code = null, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Code = code;
        StatusCode = statusCode;
    }

    /// <summary>Gets what went wrong.</summary>
    public ResponsesErrorKind Kind { get; }

    /// <summary>Gets the service's error code (for example <c>previous_response_not_found</c>), if any.</summary>
    public string? Code { get; }

    /// <summary>Gets the HTTP status the service associated with the error, or the status of a rejected upgrade.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the request parameter the service blamed, if any.</summary>
    public string? Param { get; init; }

    /// <summary>Gets the service's error type (for example <c>invalid_request_error</c>), if any.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the id of the response that failed, when it was known.</summary>
    public string? ResponseId { get; init; }

    /// <summary>Gets whether output of the failed response had already been yielded to the caller.</summary>
    public bool OutputSurfaced { get; init; }

    /// <summary>
    /// Gets how long the server asked the client to wait before trying again (its <c>Retry-After</c>, or
    /// <c>retry-after-ms</c>), when it sent one: typically with 429 or 503. Never negative; at most 10 minutes, a longer
    /// request being reported as 10 minutes. <see cref="ExponentialBackoffRetryPolicy"/> waits this long instead of its
    /// own backoff.
    /// </summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// Gets whether retrying the same request later may succeed: rate limits, server errors, dropped connections
    /// and 429/5xx upgrades. Invalid requests, authentication failures and quota errors are not transient.
    /// </summary>
    public bool IsTransient => Kind switch
    {
        ResponsesErrorKind.ConnectionFailed or ResponsesErrorKind.ConnectionClosed or ResponsesErrorKind.ResponseTimeout => true,
        ResponsesErrorKind.HandshakeRejected => StatusCode is 408 or 429 or >= 500,
        ResponsesErrorKind.ServiceError or ResponsesErrorKind.ResponseFailed =>
            Code is "rate_limit_exceeded" or "server_error" or "websocket_connection_limit_reached" || StatusCode is 429 or >= 500,
        _ => false,
    };
}
