namespace ResponsesWebSocket.Tests.Support;

/// <summary>A clock the test moves by hand: socket age is checked against it instead of waiting an hour.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
