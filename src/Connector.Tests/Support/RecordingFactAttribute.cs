namespace ResponsesWebSocket.Tests.Support;

/// <summary>A fact that needs the shared recordings: skipped, with the reason, when they are not beside the checkout.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class RecordingFactAttribute : FactAttribute
{
    public RecordingFactAttribute()
    {
        if (SharedRecordings.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
