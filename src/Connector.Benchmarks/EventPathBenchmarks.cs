using System.Text;
using BenchmarkDotNet.Attributes;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Benchmarks;

/// <summary>
/// The per-event path without a socket: parse each server event (one WebSocket text message) and map it to a
/// ChatResponseUpdate. The stream is a typical answer: lifecycle events, then 1,000 text deltas, then the terminal.
/// Divide by <see cref="EventCount"/> for per-event figures.
/// </summary>
[MemoryDiagnoser]
public class EventPathBenchmarks
{
    private const int Deltas = 1000;
    private byte[][] _events = [];

    /// <summary>Gets how many events one operation handles.</summary>
    public int EventCount => _events.Length;

    [GlobalSetup]
    public void Setup()
    {
        var events = new List<string>
        {
            """{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1765552659,"status":"in_progress","model":"gpt-5.2","output":[],"store":false,"tools":[],"usage":null}}""",
            """{"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","object":"response","created_at":1765552659,"status":"in_progress","model":"gpt-5.2","output":[],"usage":null}}""",
            """{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","content":[],"role":"assistant"}}""",
            """{"type":"response.content_part.added","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}""",
        };
        for (var i = 0; i < Deltas; i++)
        {
            events.Add($$"""{"type":"response.output_text.delta","sequence_number":{{i + 4}},"item_id":"msg_1","output_index":0,"content_index":0,"delta":" word{{i % 10}}","logprobs":[],"obfuscation":"aB3dE"}""");
        }

        events.Add("""{"type":"response.output_text.done","sequence_number":1004,"item_id":"msg_1","output_index":0,"content_index":0,"text":"…","logprobs":[]}""");
        events.Add("""{"type":"response.output_item.done","sequence_number":1005,"output_index":0,"item":{"id":"msg_1","type":"message","status":"completed","content":[{"type":"output_text","annotations":[],"logprobs":[],"text":"…"}],"role":"assistant"}}""");
        events.Add("""{"type":"response.completed","sequence_number":1006,"response":{"id":"resp_1","object":"response","created_at":1765552659,"status":"completed","model":"gpt-5.2","output":[],"usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":0},"output_tokens":1000,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":1020}}}""");
        _events = events.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    [Benchmark(Description = "parse only")]
    public int Parse()
    {
        var count = 0;
        foreach (var e in _events) count += (int)ServerEventParser.Parse(e).Type;
        return count;
    }

    [Benchmark(Description = "parse + map to ChatResponseUpdate")]
    public int ParseAndMap()
    {
        var mapper = new ResponseUpdateMapper(conversationIdIsResponseId: true);
        var count = 0;
        foreach (var e in _events)
        {
            if (mapper.Map(ServerEventParser.Parse(e)) is not null) count++;
            while (mapper.TakeReleased() is not null) count++;
        }

        return count;
    }
}
