namespace ResponsesWebSocket;

/// <summary>
/// The default <see cref="IResponsesRetryPolicy"/>: exponential backoff with jitter, honouring the server's
/// <c>Retry-After</c>, bounded by a number of retries and by a total time budget.
/// </summary>
/// <remarks>
/// <para>
/// Without a <c>Retry-After</c>, retry <c>n</c> (counting from 0) waits between half and all of
/// <c>min(InitialDelay × 2ⁿ, MaxDelay)</c>, chosen at random ("equal jitter"). With the defaults that is 125–250 ms,
/// 250–500 ms, then 0.5–1 s. Equal rather than full jitter (0 to the whole delay) keeps a floor under every wait: a
/// server that answered 429 or 503 without saying when to come back still gets a real pause, while clients that failed
/// together spread out instead of retrying in step.
/// </para>
/// <para>
/// With a <c>Retry-After</c> (<see cref="ResponsesException.RetryAfter"/>) the server's delay is used as given, instead of
/// the backoff: the server knows better than a formula when it will accept us again. If that delay would end past the
/// <see cref="Budget"/>, the policy stops at once and the failure is surfaced, rather than retrying early (sure to be
/// refused) or making the caller wait for a retry the budget does not allow.
/// </para>
/// <para>
/// A backoff delay that would end past the <see cref="Budget"/> stops the retries the same way. The budget bounds the
/// time spent before the last retry starts; that attempt's own duration (at most the connect timeout) comes on top.
/// </para>
/// <para>
/// Thread-safety: <see cref="NextRetryDelay"/> may be called concurrently (it reads the settings and a thread-safe random
/// source); change the settings before handing the policy to a client. The client copies an instance of this type when it
/// is constructed, so later changes do not affect a running client.
/// </para>
/// </remarks>
public sealed class ExponentialBackoffRetryPolicy : IResponsesRetryPolicy
{
    private readonly Func<double> _random;

    private int _maxRetries = 3;
    private TimeSpan _initialDelay = TimeSpan.FromMilliseconds(250);
    private TimeSpan _maxDelay = TimeSpan.FromSeconds(5);
    private TimeSpan _budget = TimeSpan.FromSeconds(20);

    /// <summary>Initializes a new instance with the default settings.</summary>
    public ExponentialBackoffRetryPolicy()
        : this(Random.Shared.NextDouble)
    {
    }

    /// <summary>Initializes a new instance whose jitter comes from <paramref name="random"/> (a test seam).</summary>
    /// <param name="random">Returns a value in [0, 1]; values outside are clamped.</param>
    internal ExponentialBackoffRetryPolicy(Func<double> random)
    {
        ArgumentNullException.ThrowIfNull(random);
        _random = random;
    }

    /// <summary>
    /// Gets or sets how many retries are made at most after the first attempt (default 3, so 4 attempts in all).
    /// 0 disables retries.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxRetries
    {
        get => _maxRetries;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxRetries = value;
        }
    }

    /// <summary>Gets or sets the backoff delay before the first retry, before jitter (default 250 ms); it doubles with every retry.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan InitialDelay
    {
        get => _initialDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _initialDelay = value;
        }
    }

    /// <summary>Gets or sets the largest backoff delay, before jitter (default 5 seconds). Does not limit a server's <c>Retry-After</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _maxDelay = value;
        }
    }

    /// <summary>
    /// Gets or sets the total time a call may spend before its last retry starts, attempts and waits included (default
    /// 20 seconds). A retry whose wait (backoff or <c>Retry-After</c>) would end past it is not made.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan Budget
    {
        get => _budget;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _budget = value;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public TimeSpan? NextRetryDelay(ResponsesRetryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.PreviousRetryCount >= _maxRetries) return null;

        var delay = context.RetryReason.RetryAfter ?? Backoff(context.PreviousRetryCount);
        return context.ElapsedTime + delay <= _budget ? delay : null;
    }

    /// <summary>Copies the settings (and the jitter source), so that a client keeps what it was configured with.</summary>
    internal ExponentialBackoffRetryPolicy Clone() => new(_random)
    {
        MaxRetries = _maxRetries,
        InitialDelay = _initialDelay,
        MaxDelay = _maxDelay,
        Budget = _budget,
    };

    private TimeSpan Backoff(int retry)
    {
        // In doubles, with the exponent bounded: 2ⁿ would overflow a TimeSpan (or reach infinity, and 0 × ∞ is NaN) long
        // before MaxRetries gets unreasonable, and past that point the cap decides anyway.
        var ceiling = Math.Min(_initialDelay.Ticks * Math.Pow(2, Math.Min(retry, 62)), _maxDelay.Ticks);
        var jitter = Math.Clamp(_random(), 0, 1);
        return TimeSpan.FromTicks((long)(ceiling * (0.5 + (jitter / 2))));
    }
}
