namespace ResponsesWebSocket.Tests.Support;

/// <summary>A theory that needs a real Redis: skipped, with the reason, when none is reachable (see <see cref="RedisServer"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RedisTheoryAttribute : TheoryAttribute
{
    public RedisTheoryAttribute()
    {
        if (RedisServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
