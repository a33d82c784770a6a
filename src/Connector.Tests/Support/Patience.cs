namespace ResponsesWebSocket.Tests.Support;

/// <summary>
/// Bounds every wait on the server or on a test signal: a bug then fails the test after <see cref="Limit"/> instead of
/// hanging the run. Generous on purpose, since the suite must stay green while other processes load both cores.
/// </summary>
internal static class Patience
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task Bounded(this Task task) => task.WaitAsync(Limit);

    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Limit);
}
