namespace ResponsesWebSocket.Transport;

/// <summary>
/// Runs an attempt to reach the service (a WebSocket upgrade, an HTTP request before any output) and, while it fails
/// in a way a later attempt may fix, waits what the <see cref="IResponsesRetryPolicy"/> says and tries again.
/// </summary>
/// <remarks>
/// The loop decides <em>which</em> failures may be retried; the policy decides <em>whether</em> and <em>when</em>. That
/// split keeps the safety rules (no retry of 401/403, of surfaced output, of timeouts, or after the caller cancelled)
/// out of reach of a custom policy. All time (the waits and the elapsed time the policy sees) is on the given
/// <see cref="TimeProvider"/>, so tests drive it with a manual clock.
/// </remarks>
internal static class RetryLoop
{
    /// <summary>Runs <paramref name="attempt"/> until it succeeds, fails for good, or the policy stops.</summary>
    /// <typeparam name="T">What a successful attempt returns (e.g. an open connection).</typeparam>
    /// <param name="attempt">One attempt; gets the caller's token.</param>
    /// <param name="policy">Decides whether and after how long a retryable failure is retried.</param>
    /// <param name="time">The clock for the waits and for <see cref="ResponsesRetryContext.ElapsedTime"/>.</param>
    /// <param name="onRetry">Called before each wait with the failure, the number of the retry about to be made (1 for
    /// the first) and the delay (for logging).</param>
    /// <param name="cancellationToken">The caller's token: cancels a wait at once.</param>
    /// <returns>The result of the first attempt that succeeds.</returns>
    /// <exception cref="ResponsesException">The last attempt's failure, unchanged, when it is not retryable or the policy
    /// returned <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled during a wait.</exception>
    public static async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> attempt,
        IResponsesRetryPolicy policy,
        TimeProvider time,
        Action<ResponsesException, int, TimeSpan>? onRetry,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);

        var started = time.GetTimestamp();
        for (var retries = 0; ; retries++)
        {
            try
            {
                return await attempt(cancellationToken).ConfigureAwait(false);
            }
            catch (ResponsesException failure) when (IsRetryable(failure, cancellationToken))
            {
                if (policy.NextRetryDelay(new ResponsesRetryContext(retries, time.GetElapsedTime(started), failure)) is not { } delay)
                {
                    // Inside the catch, so the caller gets the attempt's exception with its original stack.
                    throw;
                }

                // Negative means "at once": never Task.Delay's -1 ms, which is "forever".
                delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
                onRetry?.Invoke(failure, retries + 1, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether a later attempt may succeed where this one failed, and retrying is safe.</summary>
    internal static bool IsRetryable(ResponsesException failure, CancellationToken cancellationToken) =>
        failure.IsTransient

        // Bad credentials stay bad: retrying only delays the authentication error (and hammers the service with them).
        // IsTransient already says no for a rejected upgrade; this also covers a service error that carries the status.
        && failure.StatusCode is not (401 or 403)

        // Output already reached the caller: a new attempt would produce it twice.
        && !failure.OutputSurfaced

        // A failure caused by the caller's own cancellation is not retried: the caller asked us to stop.
        && !cancellationToken.IsCancellationRequested

        // Timeouts are not retried, as before this loop existed: a connect that timed out once (its timeout cancelled it)
        // would most likely time out again, multiplying the caller's wait; a response that went idle is not resent either.
        && failure.Kind is not ResponsesErrorKind.ResponseTimeout
        && failure.InnerException is not (OperationCanceledException or TimeoutException);
}
