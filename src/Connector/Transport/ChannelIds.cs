namespace ResponsesWebSocket.Transport;

/// <summary>Process-unique channel ids, shared by every kind of channel so that logs never show two channels with one id.</summary>
internal static class ChannelIds
{
    private static long s_next;

    public static long Next() => Interlocked.Increment(ref s_next);
}
