namespace ResponsesWebSocket.Tests.Support;

/// <summary>
/// A theory that needs the shared recordings: skipped, with the reason, when they are not beside the checkout (its data
/// is then not enumerated; data sources still yield a placeholder row rather than throw).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RecordingTheoryAttribute : TheoryAttribute
{
    public RecordingTheoryAttribute()
    {
        if (SharedRecordings.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
