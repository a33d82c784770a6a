namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>A fact that is reported as skipped, with the reason, when the shared recordings folder is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RecordingsFactAttribute : FactAttribute
{
    public RecordingsFactAttribute()
    {
        if (FuzzSeeds.RecordingsFolder is null)
        {
            Skip = "The shared recordings (../shared/recordings beside the repository) are not present; the built-in seeds still run.";
        }
    }
}
