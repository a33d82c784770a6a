namespace ResponsesWebSocket;

/// <summary>
/// Decides whether, and after how long, a failed attempt to reach the service (a WebSocket upgrade, or an HTTP request
/// before any output) is tried again. Set one on <see cref="ResponsesWebSocketChatClientOptions.RetryPolicy"/>.
/// </summary>
/// <remarks>
/// <para>
/// The client consults the policy only for failures that a later attempt may fix (<see cref="ResponsesException.IsTransient"/>:
/// 408, 429 and 5xx answers, network errors), never for 401/403, never after output was surfaced, never for timeouts,
/// and never once the caller's own token was cancelled. Everything else fails at once, whatever the policy says.
/// </para>
/// <para>
/// One policy instance serves every concurrent call of a client, so an implementation must be thread-safe; keeping no
/// state of its own (everything it needs is in the <see cref="ResponsesRetryContext"/>) is the simple way to be.
/// To never retry, return <see langword="null"/> always.
/// </para>
/// </remarks>
public interface IResponsesRetryPolicy
{
    /// <summary>Returns how long to wait before the next attempt, or <see langword="null"/> to stop and surface the failure.</summary>
    /// <param name="context">The failure just seen, how many retries came before it and how long the call has taken so far.</param>
    /// <returns>The delay before the next attempt (<see cref="TimeSpan.Zero"/> retries at once; a negative delay is treated as
    /// zero), or <see langword="null"/> to give up and throw <see cref="ResponsesRetryContext.RetryReason"/>.</returns>
    TimeSpan? NextRetryDelay(ResponsesRetryContext context);
}
