namespace ResponsesWebSocket.Tests.Transport;

/// <summary>The default retry policy as a pure function: backoff growth and cap, jitter bounds, Retry-After, budget, count.</summary>
public class ExponentialBackoffRetryPolicyTests
{
    private static readonly ResponsesException Unavailable = new(ResponsesErrorKind.HandshakeRejected, "Service unavailable.", statusCode: 503);

    private static ResponsesRetryContext Context(int previousRetries, TimeSpan elapsed = default, ResponsesException? reason = null) =>
        new(previousRetries, elapsed, reason ?? Unavailable);

    private static ResponsesException RateLimited(TimeSpan retryAfter) =>
        new(ResponsesErrorKind.HandshakeRejected, "Too many requests.", statusCode: 429) { RetryAfter = retryAfter };

    [Fact]
    public void Defaults_are_three_retries_from_250_ms_capped_at_5_s_within_20_s()
    {
        var policy = new ExponentialBackoffRetryPolicy();

        policy.MaxRetries.Should().Be(3);
        policy.InitialDelay.Should().Be(TimeSpan.FromMilliseconds(250));
        policy.MaxDelay.Should().Be(TimeSpan.FromSeconds(5));
        policy.Budget.Should().Be(TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData(1.0, new[] { 250, 500, 1000, 2000, 4000, 5000, 5000 })]
    [InlineData(0.0, new[] { 125, 250, 500, 1000, 2000, 2500, 2500 })]
    public void Delays_double_from_the_initial_delay_and_stop_growing_at_the_cap(double jitter, int[] expectedMilliseconds)
    {
        var policy = new ExponentialBackoffRetryPolicy(() => jitter) { MaxRetries = 100, Budget = TimeSpan.FromHours(1) };

        var delays = Enumerable.Range(0, expectedMilliseconds.Length).Select(retry => policy.NextRetryDelay(Context(retry))).ToList();

        delays.Should().Equal(expectedMilliseconds.Select(ms => (TimeSpan?)TimeSpan.FromMilliseconds(ms)));
    }

    [Fact]
    public void Jitter_spreads_each_delay_between_half_and_all_of_its_backoff()
    {
        var random = new Random(1234);
        var policy = new ExponentialBackoffRetryPolicy(random.NextDouble) { MaxRetries = 100, Budget = TimeSpan.FromHours(1) };

        var seen = new HashSet<TimeSpan>();
        for (var sample = 0; sample < 200; sample++)
        {
            for (var retry = 0; retry < 8; retry++)
            {
                var ceiling = TimeSpan.FromMilliseconds(Math.Min(250 * Math.Pow(2, retry), 5000));
                var delay = policy.NextRetryDelay(Context(retry))!.Value;
                delay.Should().BeGreaterThanOrEqualTo(ceiling / 2).And.BeLessThanOrEqualTo(ceiling);
                if (retry == 0) seen.Add(delay);
            }
        }

        seen.Count.Should().BeGreaterThan(100, "clients that failed together must not retry in step");
    }

    [Fact]
    public void A_jitter_source_out_of_range_is_clamped()
    {
        new ExponentialBackoffRetryPolicy(() => 7.5).NextRetryDelay(Context(0)).Should().Be(TimeSpan.FromMilliseconds(250));
        new ExponentialBackoffRetryPolicy(() => -3).NextRetryDelay(Context(0)).Should().Be(TimeSpan.FromMilliseconds(125));
    }

    [Fact]
    public void Retry_after_replaces_the_backoff_even_above_the_cap()
    {
        var policy = new ExponentialBackoffRetryPolicy(() => 1.0);

        policy.NextRetryDelay(Context(0, reason: RateLimited(TimeSpan.FromSeconds(7)))).Should().Be(TimeSpan.FromSeconds(7));
        policy.NextRetryDelay(Context(2, TimeSpan.FromSeconds(1), RateLimited(TimeSpan.Zero))).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void A_retry_after_that_ends_past_the_budget_stops_instead_of_retrying_early()
    {
        var policy = new ExponentialBackoffRetryPolicy(() => 1.0);

        policy.NextRetryDelay(Context(0, TimeSpan.FromSeconds(17), RateLimited(TimeSpan.FromSeconds(3)))).Should().Be(TimeSpan.FromSeconds(3), "17 + 3 is exactly the budget");
        policy.NextRetryDelay(Context(0, TimeSpan.FromSeconds(18), RateLimited(TimeSpan.FromSeconds(3)))).Should().BeNull();
        policy.NextRetryDelay(Context(0, reason: RateLimited(TimeSpan.FromMinutes(1)))).Should().BeNull();
    }

    [Fact]
    public void A_backoff_that_ends_past_the_budget_stops()
    {
        var policy = new ExponentialBackoffRetryPolicy(() => 1.0) { Budget = TimeSpan.FromSeconds(2) };

        policy.NextRetryDelay(Context(1, TimeSpan.FromMilliseconds(1500))).Should().Be(TimeSpan.FromMilliseconds(500));
        policy.NextRetryDelay(Context(1, TimeSpan.FromMilliseconds(1501))).Should().BeNull();
    }

    [Fact]
    public void No_more_than_max_retries_are_allowed_even_with_a_retry_after()
    {
        var policy = new ExponentialBackoffRetryPolicy(() => 1.0) { MaxRetries = 2 };

        policy.NextRetryDelay(Context(1)).Should().NotBeNull();
        policy.NextRetryDelay(Context(2)).Should().BeNull();
        policy.NextRetryDelay(Context(2, reason: RateLimited(TimeSpan.Zero))).Should().BeNull();
        new ExponentialBackoffRetryPolicy { MaxRetries = 0 }.NextRetryDelay(Context(0)).Should().BeNull("0 turns retries off");
    }

    [Fact]
    public void A_huge_retry_count_neither_overflows_nor_passes_the_cap()
    {
        var policy = new ExponentialBackoffRetryPolicy(() => 1.0) { MaxRetries = int.MaxValue, Budget = TimeSpan.MaxValue / 2 };

        policy.NextRetryDelay(Context(int.MaxValue - 1)).Should().Be(TimeSpan.FromSeconds(5));
        new ExponentialBackoffRetryPolicy(() => 1.0) { MaxRetries = int.MaxValue, InitialDelay = TimeSpan.Zero }
            .NextRetryDelay(Context(5000)).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Negative_settings_are_refused()
    {
        var policy = new ExponentialBackoffRetryPolicy();

        ((Action)(() => policy.MaxRetries = -1)).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => policy.InitialDelay = TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => policy.MaxDelay = TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => policy.Budget = TimeSpan.FromTicks(-1))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void The_options_copy_keeps_the_policy_settings_the_client_was_built_with()
    {
        var policy = new ExponentialBackoffRetryPolicy { MaxRetries = 5, Budget = TimeSpan.FromSeconds(9) };
        var options = new ResponsesWebSocketChatClientOptions { RetryPolicy = policy };

        var copy = options.Clone();
        policy.MaxRetries = 0;

        var copied = copy.RetryPolicy.Should().BeOfType<ExponentialBackoffRetryPolicy>().Subject;
        copied.Should().NotBeSameAs(policy);
        copied.MaxRetries.Should().Be(5);
        copied.Budget.Should().Be(TimeSpan.FromSeconds(9));
        copied.InitialDelay.Should().Be(policy.InitialDelay);
        copied.MaxDelay.Should().Be(policy.MaxDelay);
    }
}
