using Microsoft.Extensions.Logging;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Diagnostics;

/// <summary>
/// Source-generated log messages. Event ids and names are a contract once shipped: add new ones, never renumber.
/// Content (prompts, outputs) is never logged, and URLs arrive already redacted (<see cref="UriRedaction"/>) as text, so no
/// structured-logging sink can serialise a query-string key from a <see cref="Uri"/> object.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Debug, "Connecting WebSocket to {Uri}.", EventName = "Connecting")]
    public static partial void Connecting(ILogger logger, string uri);

    [LoggerMessage(1001, LogLevel.Information, "WebSocket connection {ConnectionId} opened to {Uri}.", EventName = "Connected")]
    public static partial void Connected(ILogger logger, long connectionId, string uri);

    [LoggerMessage(1002, LogLevel.Warning, "WebSocket upgrade to {Uri} was rejected with HTTP {StatusCode}.", EventName = "HandshakeRejected")]
    public static partial void HandshakeRejected(ILogger logger, string uri, int statusCode, Exception exception);

    [LoggerMessage(1003, LogLevel.Warning, "WebSocket connection {ConnectionId} failed: {Reason}", EventName = "ConnectionFailed")]
    public static partial void ConnectionFailed(ILogger logger, long connectionId, string reason, Exception? exception);

    [LoggerMessage(1004, LogLevel.Debug, "WebSocket connection {ConnectionId} closed by the server ({CloseStatus} {CloseDescription}).", EventName = "ServerClosed")]
    public static partial void ServerClosed(ILogger logger, long connectionId, string? closeStatus, string? closeDescription);

    [LoggerMessage(1005, LogLevel.Debug, "Connection {ConnectionId} is being replaced: {Reason}.", EventName = "ReplacingConnection")]
    public static partial void ReplacingConnection(ILogger logger, long connectionId, string reason);

    [LoggerMessage(1006, LogLevel.Information, "Opening a WebSocket to {Uri} failed transiently; retry {Retry} in {Delay}: {Reason}", EventName = "RetryingConnect")]
    public static partial void RetryingConnect(ILogger logger, string uri, int retry, TimeSpan delay, string reason, Exception exception);

    [LoggerMessage(1100, LogLevel.Trace, "Sent a {Bytes}-byte frame on connection {ConnectionId}.", EventName = "FrameSent")]
    public static partial void FrameSent(ILogger logger, long connectionId, int bytes);

    [LoggerMessage(1104, LogLevel.Debug, "Sending response.create on connection {ConnectionId}: {ChainStatus}, {Items} items, {Bytes} bytes.", EventName = "SendingCreate")]
    public static partial void SendingCreate(ILogger logger, long connectionId, ChainStatus chainStatus, int items, int bytes);

    [LoggerMessage(1101, LogLevel.Debug, "Abandoned an in-flight response on connection {ConnectionId}; the socket is aborted.", EventName = "TurnAbandoned")]
    public static partial void TurnAbandoned(ILogger logger, long connectionId);

    [LoggerMessage(1102, LogLevel.Debug, "Dropped a second terminal event for response {ResponseId} on connection {ConnectionId}.", EventName = "DroppedTrailingTerminal")]
    public static partial void DroppedTrailingTerminal(ILogger logger, long connectionId, string responseId);

    [LoggerMessage(1103, LogLevel.Warning, "Error event on idle connection {ConnectionId}: {Code} {Message}", EventName = "IdleError")]
    public static partial void IdleError(ILogger logger, long connectionId, string? code, string? message);

    [LoggerMessage(1105, LogLevel.Debug, "Dropped a {EventType} event on connection {ConnectionId}: {Reason}.", EventName = "DroppedStrayEvent")]
    public static partial void DroppedStrayEvent(ILogger logger, long connectionId, ServerEventType eventType, string reason);

    [LoggerMessage(1106, LogLevel.Debug, "The reader of connection {ConnectionId} stopped; the socket is closed or aborted.", EventName = "ReaderStopped")]
    public static partial void ReaderStopped(ILogger logger, long connectionId);

    [LoggerMessage(1107, LogLevel.Warning, "No event for {Timeout} on connection {ConnectionId} while a response was in flight; the socket is aborted.", EventName = "ResponseTimedOut")]
    public static partial void ResponseTimedOut(ILogger logger, long connectionId, TimeSpan timeout);

    [LoggerMessage(1203, LogLevel.Information, "Model {Model} does not support encrypted reasoning; resending without it and remembering that for this client.", EventName = "EncryptedReasoningUnsupported")]
    public static partial void EncryptedReasoningUnsupported(ILogger logger, string model);

    [LoggerMessage(1200, LogLevel.Debug, "Response {ResponseId} finished with {FinishReason}.", EventName = "ResponseFinished")]
    public static partial void ResponseFinished(ILogger logger, string? responseId, string? finishReason);

    [LoggerMessage(1201, LogLevel.Warning, "Response failed: {Kind} {Code} {Message}", EventName = "ResponseError")]
    public static partial void ResponseError(ILogger logger, ResponsesErrorKind kind, string? code, string message, Exception exception);

    [LoggerMessage(1202, LogLevel.Information, "Resending the request before any output was surfaced: {Reason}", EventName = "ResendingRequest")]
    public static partial void ResendingRequest(ILogger logger, string reason, Exception exception);

    [LoggerMessage(1007, LogLevel.Warning, "WebSocket mode was refused by {Uri} with HTTP {StatusCode}; sending responses over HTTP with server-sent events for {Duration} before trying WebSocket mode again.", EventName = "FallingBackToHttp")]
    public static partial void FallingBackToHttp(ILogger logger, string uri, int statusCode, TimeSpan duration);

    [LoggerMessage(1008, LogLevel.Information, "HTTP channel {ConnectionId} opened to {Uri}.", EventName = "HttpChannelOpened")]
    public static partial void HttpChannelOpened(ILogger logger, long connectionId, string uri);

    [LoggerMessage(1009, LogLevel.Information, "An HTTP request to {Uri} failed transiently; retry {Retry} in {Delay}: {Reason}", EventName = "RetryingHttpRequest")]
    public static partial void RetryingHttpRequest(ILogger logger, string uri, int retry, TimeSpan delay, string reason, Exception exception);

    [LoggerMessage(1204, LogLevel.Debug, "Warmup skipped: channel {ConnectionId} is HTTP, where generate:false does not exist; the prepared items go out with the next turn.", EventName = "WarmupSkippedOverHttp")]
    public static partial void WarmupSkippedOverHttp(ILogger logger, long connectionId);

    [LoggerMessage(1300, LogLevel.Warning, "Response {ResponseId} could not be written to the transcript store; other processes will not see it: {Reason}", EventName = "TranscriptSaveFailed")]
    public static partial void TranscriptSaveFailed(ILogger logger, string responseId, string reason, Exception exception);

    [LoggerMessage(1108, LogLevel.Trace, "The event stream of HTTP channel {ConnectionId} ended; its response is closed.", EventName = "HttpStreamEnded")]
    public static partial void HttpStreamEnded(ILogger logger, long connectionId);
}
