namespace ResponsesWebSocket.Tests.Support;

/// <summary>A fact for the long load run: skipped, with the reason, unless <c>RESPONSES_WS_LOAD=long</c> is set.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
internal sealed class LoadFactAttribute : FactAttribute
{
    public const string Variable = "RESPONSES_WS_LOAD";

    public LoadFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "long")
        {
            Skip = $"The long load run (100 conversations × 10 tool turns) runs only with {Variable}=long.";
        }
    }
}
