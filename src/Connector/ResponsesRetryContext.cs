namespace ResponsesWebSocket;

/// <summary>What an <see cref="IResponsesRetryPolicy"/> knows when it decides about the next retry.</summary>
/// <remarks>
/// Read-only, unlike SignalR's <c>RetryContext</c>: the client makes a new one per decision, so a policy cannot change
/// what the next decision sees. The constructor is public so that a custom policy can be unit-tested.
/// </remarks>
public sealed class ResponsesRetryContext
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="previousRetryCount">How many retries were already made (0 when the first attempt just failed).</param>
    /// <param name="elapsedTime">How long the call has spent so far, attempts and waits included.</param>
    /// <param name="retryReason">The failure of the attempt just made.</param>
    /// <exception cref="ArgumentNullException"><paramref name="retryReason"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="previousRetryCount"/> or <paramref name="elapsedTime"/> is negative.</exception>
    public ResponsesRetryContext(int previousRetryCount, TimeSpan elapsedTime, ResponsesException retryReason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(previousRetryCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(elapsedTime, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(retryReason);
        PreviousRetryCount = previousRetryCount;
        ElapsedTime = elapsedTime;
        RetryReason = retryReason;
    }

    /// <summary>Gets how many retries were already made: 0 when the first attempt just failed.</summary>
    public int PreviousRetryCount { get; }

    /// <summary>Gets how long the call has spent so far, from the start of its first attempt (attempts and waits included).</summary>
    public TimeSpan ElapsedTime { get; }

    /// <summary>
    /// Gets the failure of the attempt just made; its <see cref="ResponsesException.RetryAfter"/> carries the server's
    /// <c>Retry-After</c>, when it sent one.
    /// </summary>
    public ResponsesException RetryReason { get; }
}
