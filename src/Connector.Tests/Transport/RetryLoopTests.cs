using System.Net.Sockets;
using System.Net.WebSockets;
using ResponsesWebSocket.Tests.Support;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Transport;

/// <summary>
/// The retry loop on a manual clock: which failures it retries, that it waits exactly what the policy says (no attempt
/// before the clock reaches the delay), and that the caller's cancellation ends a wait at once. No real time passes.
/// </summary>
public class RetryLoopTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    private static ResponsesException Rejected(int status) =>
        new(ResponsesErrorKind.HandshakeRejected, $"Upgrade rejected with {status}.", statusCode: status);

    private static ResponsesException NetworkError() =>
        new(ResponsesErrorKind.ConnectionFailed, "Could not connect.", innerException: new WebSocketException("refused", new SocketException((int)SocketError.ConnectionRefused)));

    /// <summary>Every failure the loop must surface at once, whatever the policy says.</summary>
    public static TheoryData<string> NotRetryable => [.. NotRetryableFailures.Keys];

    private static readonly Dictionary<string, Func<ResponsesException>> NotRetryableFailures = new()
    {
        ["401 upgrade"] = () => Rejected(401),
        ["403 upgrade"] = () => Rejected(403),
        ["401 service error, even coded as transient"] = () => new(ResponsesErrorKind.ServiceError, "No.", "server_error", 401),
        ["403 service error, even coded as transient"] = () => new(ResponsesErrorKind.ServiceError, "No.", "rate_limit_exceeded", 403),
        ["400 upgrade"] = () => Rejected(400),
        ["404 upgrade"] = () => Rejected(404),
        ["426 upgrade"] = () => Rejected(426),
        ["invalid request"] = () => new(ResponsesErrorKind.ServiceError, "Bad.", "invalid_value", 400),
        ["protocol violation"] = () => new(ResponsesErrorKind.ProtocolViolation, "Binary frame."),
        ["connect timeout"] = () => new(ResponsesErrorKind.ConnectionFailed, "Timed out.", innerException: new TaskCanceledException()),
        ["timeout exception"] = () => new(ResponsesErrorKind.ConnectionFailed, "Timed out.", innerException: new TimeoutException()),
        ["response idle timeout"] = () => new(ResponsesErrorKind.ResponseTimeout, "Idle."),
        ["drop after output"] = () => new(ResponsesErrorKind.ConnectionClosed, "Dropped.") { OutputSurfaced = true },
    };

    /// <summary>Failures a later attempt may fix.</summary>
    public static TheoryData<string> Retryable => [.. RetryableFailures.Keys];

    private static readonly Dictionary<string, Func<ResponsesException>> RetryableFailures = new()
    {
        ["408 upgrade"] = () => Rejected(408),
        ["429 upgrade"] = () => Rejected(429),
        ["500 upgrade"] = () => Rejected(500),
        ["503 upgrade"] = () => Rejected(503),
        ["network error"] = NetworkError,
        ["drop before output"] = () => new(ResponsesErrorKind.ConnectionClosed, "Dropped."),
        ["rate limit error"] = () => new(ResponsesErrorKind.ServiceError, "Slow down.", "rate_limit_exceeded", 429),
    };

    [Theory]
    [MemberData(nameof(Retryable))]
    public void Transient_failures_are_retryable(string name) =>
        RetryLoop.IsRetryable(RetryableFailures[name](), CancellationToken.None).Should().BeTrue();

    [Theory]
    [MemberData(nameof(NotRetryable))]
    public void Authentication_timeouts_surfaced_output_and_permanent_failures_are_not(string name) =>
        RetryLoop.IsRetryable(NotRetryableFailures[name](), CancellationToken.None).Should().BeFalse();

    [Fact]
    public async Task Two_transient_failures_then_success_make_three_attempts_each_after_the_policys_delay()
    {
        var time = new ManualTimeProvider();
        var policy = new ScriptedPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        var failures = new[] { Rejected(503), NetworkError() };
        var attempts = 0;
        var retries = new List<(ResponsesException Failure, int Retry, TimeSpan Delay)>();

        var armed = time.WaitForTimerArmedAsync();
        var run = RetryLoop.RunAsync(
            _ =>
            {
                var n = Interlocked.Increment(ref attempts);
                return n <= failures.Length ? Task.FromException<string>(failures[n - 1]) : Task.FromResult("open");
            },
            policy,
            time,
            (failure, retry, delay) => retries.Add((failure, retry, delay)),
            CancellationToken.None);

        await armed.Bounded();
        time.Advance(TimeSpan.FromSeconds(1) - Tick);
        Volatile.Read(ref attempts).Should().Be(1, "the first retry waits the whole first delay");
        run.IsCompleted.Should().BeFalse();

        armed = time.WaitForTimerArmedAsync();
        time.Advance(Tick);
        await armed.Bounded();
        Volatile.Read(ref attempts).Should().Be(2);

        time.Advance(TimeSpan.FromSeconds(2) - Tick);
        Volatile.Read(ref attempts).Should().Be(2, "the second retry waits the whole second delay");
        run.IsCompleted.Should().BeFalse();

        time.Advance(Tick);
        (await run.Bounded()).Should().Be("open");
        attempts.Should().Be(3);

        policy.Seen.Select(c => (c.PreviousRetryCount, c.ElapsedTime, c.RetryReason)).Should().Equal(
            (0, TimeSpan.Zero, failures[0]),
            (1, TimeSpan.FromSeconds(1), failures[1]));
        retries.Should().Equal((failures[0], 1, TimeSpan.FromSeconds(1)), (failures[1], 2, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task The_default_policy_waits_the_servers_retry_after_instead_of_its_backoff()
    {
        var time = new ManualTimeProvider();
        var attempts = 0;
        var busy = new ResponsesException(ResponsesErrorKind.HandshakeRejected, "Busy.", statusCode: 429) { RetryAfter = TimeSpan.FromSeconds(3) };

        var armed = time.WaitForTimerArmedAsync();
        var run = RetryLoop.RunAsync(
            _ => Interlocked.Increment(ref attempts) == 1 ? Task.FromException<int>(busy) : Task.FromResult(42),
            new ExponentialBackoffRetryPolicy(),
            time,
            onRetry: null,
            CancellationToken.None);

        await armed.Bounded();
        time.Advance(TimeSpan.FromSeconds(3) - Tick);
        Volatile.Read(ref attempts).Should().Be(1, "the backoff (at most 250 ms) must not replace the server's 3 s");

        time.Advance(Tick);
        (await run.Bounded()).Should().Be(42);
        attempts.Should().Be(2);
    }

    [Theory]
    [MemberData(nameof(NotRetryable))]
    public async Task A_failure_that_is_not_retryable_is_thrown_unchanged_after_one_attempt(string name)
    {
        var failure = NotRetryableFailures[name]();
        var policy = new ScriptedPolicy(TimeSpan.Zero, TimeSpan.Zero);
        var attempts = 0;

        var thrown = await FluentActions.Awaiting(() => RetryLoop.RunAsync(
                _ =>
                {
                    Interlocked.Increment(ref attempts);
                    return Task.FromException<int>(failure);
                },
                policy,
                new ManualTimeProvider(),
                onRetry: null,
                CancellationToken.None).Bounded())
            .Should().ThrowAsync<ResponsesException>();

        thrown.Which.Should().BeSameAs(failure);
        attempts.Should().Be(1);
        policy.Seen.Should().BeEmpty("the policy is not even asked");
    }

    [Fact]
    public async Task When_the_policy_stops_the_last_failure_is_thrown_unchanged()
    {
        var time = new ManualTimeProvider();
        var policy = new ScriptedPolicy(TimeSpan.FromSeconds(1));
        var failures = new[] { Rejected(502), Rejected(503) };
        var attempts = 0;

        var armed = time.WaitForTimerArmedAsync();
        var run = RetryLoop.RunAsync(
            _ => Task.FromException<int>(failures[Interlocked.Increment(ref attempts) - 1]),
            policy,
            time,
            onRetry: null,
            CancellationToken.None);
        await armed.Bounded();
        time.Advance(TimeSpan.FromSeconds(1));

        (await FluentActions.Awaiting(() => run.Bounded()).Should().ThrowAsync<ResponsesException>()).Which.Should().BeSameAs(failures[1]);
        attempts.Should().Be(2);
        policy.Seen.Should().HaveCount(2, "the second failure was offered to the policy, which said stop");
    }

    [Fact]
    public async Task Cancelling_during_the_wait_throws_at_once_without_another_attempt()
    {
        var time = new ManualTimeProvider();
        using var cancellation = new CancellationTokenSource();
        var attempts = 0;

        var armed = time.WaitForTimerArmedAsync();
        var run = RetryLoop.RunAsync(
            _ =>
            {
                Interlocked.Increment(ref attempts);
                return Task.FromException<int>(Rejected(503));
            },
            new ScriptedPolicy(TimeSpan.FromMinutes(1)),
            time,
            onRetry: null,
            cancellation.Token);
        await armed.Bounded();

        await cancellation.CancelAsync();

        // The clock never moves: only the cancellation can end the wait.
        await FluentActions.Awaiting(() => run.Bounded()).Should().ThrowAsync<OperationCanceledException>();
        attempts.Should().Be(1);
        time.ArmedTimerCount.Should().Be(0, "the wait's timer is released");
    }

    [Fact]
    public async Task A_failure_caused_by_the_callers_cancellation_is_not_retried()
    {
        using var cancellation = new CancellationTokenSource();
        var policy = new ScriptedPolicy(TimeSpan.Zero);
        var dropped = new ResponsesException(ResponsesErrorKind.ConnectionClosed, "Aborted.");
        var attempts = 0;

        var thrown = await FluentActions.Awaiting(() => RetryLoop.RunAsync(
                _ =>
                {
                    Interlocked.Increment(ref attempts);
                    cancellation.Cancel();
                    return Task.FromException<int>(dropped);
                },
                policy,
                new ManualTimeProvider(),
                onRetry: null,
                cancellation.Token).Bounded())
            .Should().ThrowAsync<ResponsesException>();

        thrown.Which.Should().BeSameAs(dropped);
        attempts.Should().Be(1);
        policy.Seen.Should().BeEmpty();
    }

    [Fact]
    public async Task Other_exceptions_pass_through_untouched()
    {
        var bug = new InvalidOperationException("Not a service failure.");
        var policy = new ScriptedPolicy(TimeSpan.Zero);

        (await FluentActions.Awaiting(() => RetryLoop.RunAsync<int>(_ => throw bug, policy, new ManualTimeProvider(), null, CancellationToken.None).Bounded())
            .Should().ThrowAsync<InvalidOperationException>()).Which.Should().BeSameAs(bug);
        policy.Seen.Should().BeEmpty();
    }

    [Fact]
    public async Task A_negative_delay_retries_at_once_rather_than_waiting_forever()
    {
        var time = new ManualTimeProvider();
        var attempts = 0;
        TimeSpan? reported = null;

        var result = await RetryLoop.RunAsync(
            _ => Interlocked.Increment(ref attempts) == 1 ? Task.FromException<int>(Rejected(500)) : Task.FromResult(7),
            new ScriptedPolicy(Timeout.InfiniteTimeSpan),
            time,
            (_, _, delay) => reported = delay,
            CancellationToken.None).Bounded();

        result.Should().Be(7);
        attempts.Should().Be(2);
        reported.Should().Be(TimeSpan.Zero);
    }

    /// <summary>Returns the scripted delays in turn, then null; records what it was asked.</summary>
    private sealed class ScriptedPolicy(params TimeSpan?[] delays) : IResponsesRetryPolicy
    {
        private readonly List<ResponsesRetryContext> _seen = [];

        public IReadOnlyList<ResponsesRetryContext> Seen
        {
            get { lock (_seen) return [.. _seen]; }
        }

        public TimeSpan? NextRetryDelay(ResponsesRetryContext context)
        {
            lock (_seen) _seen.Add(context);
            return context.PreviousRetryCount < delays.Length ? delays[context.PreviousRetryCount] : null;
        }
    }
}
