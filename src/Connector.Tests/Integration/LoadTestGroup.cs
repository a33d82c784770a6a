namespace ResponsesWebSocket.Tests.Integration;

/// <summary>
/// The load tests run alone, after the parallel collections: they compare the process's managed heap before and after a
/// client's life, which other tests allocating at the same time would blur, and they want the cores for themselves.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadTestGroup
{
    public const string Name = "Load";
}
