namespace ResponsesWebSocket.Tests.Support;

/// <summary>A fact that needs a real Redis: skipped, with the reason, when none is reachable (see <see cref="RedisServer"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
