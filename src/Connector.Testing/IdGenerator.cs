using System.Globalization;

namespace ResponsesWebSocket.Testing;

/// <summary>Counter-based ids (<c>resp_0001</c>, <c>msg_0001</c>, …): deterministic per server instance, and unique within it.</summary>
internal sealed class IdGenerator
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    public string Next(string prefix)
    {
        int value;
        lock (_gate)
        {
            value = _counters.GetValueOrDefault(prefix) + 1;
            _counters[prefix] = value;
        }

        return prefix + "_" + value.ToString("D4", CultureInfo.InvariantCulture);
    }
}
