using System.Text;
using BenchmarkDotNet.Attributes;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Benchmarks;

/// <summary>
/// The price of single parts of the per-event path that this library still pays on every delta, each on its own over
/// 1,000 events, so the report can say what removing one would save: the <see cref="ServerEvent"/> instance (a class,
/// not a reused or stack value), and decoding the 50-character <c>item_id</c> into a new string although the mapper
/// needs it once per output item. Divide by 1,000 for per-event figures.
/// </summary>
[MemoryDiagnoser]
public class PerEventCostBenchmarks
{
    private const int Events = 1000;
    private readonly byte[] _itemId = Encoding.UTF8.GetBytes(RealEventShape.ItemId);
    private readonly byte[] _knownUtf8 = Encoding.UTF8.GetBytes(RealEventShape.ItemId);

    [Benchmark(Description = "new ServerEvent per delta")]
    public int AllocateServerEvent()
    {
        var sum = 0;
        for (var i = 0; i < Events; i++)
        {
            var e = new ServerEvent { Type = ServerEventType.OutputTextDelta, OutputIndex = 0, ContentIndex = 0, SequenceNumber = i };
            sum += e.OutputIndex;
        }

        return sum;
    }

    [Benchmark(Description = "decode item_id to a string per delta")]
    public int DecodeItemId()
    {
        var sum = 0;
        for (var i = 0; i < Events; i++) sum += Encoding.UTF8.GetString(_itemId).Length;
        return sum;
    }

    [Benchmark(Description = "compare item_id bytes with the current item's id instead")]
    public int CompareItemId()
    {
        // What a parser could do instead: keep the current output item's id as UTF-8 and compare the raw bytes, decoding
        // a string only when the id changes (once per output item).
        var sum = 0;
        for (var i = 0; i < Events; i++)
        {
            if (_itemId.AsSpan().SequenceEqual(_knownUtf8)) sum++;
        }

        return sum;
    }
}
