using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Benchmarks;

/// <summary>
/// The per-event path without a socket, on events shaped like the live service's (<see cref="RealEventShape"/>): a text
/// answer of 1,000 deltas plus 8 lifecycle events. This library: parse each WebSocket message and map it to a
/// ChatResponseUpdate. The official client (MEAI.OpenAI 10.11 over OpenAI 2.14): the same events as an SSE body served
/// from memory by an HttpMessageHandler, through its SSE reader, model deserialisation and MEAI mapping (plus one HTTP
/// request object per answer, negligible over 1,008 events). Divide by <see cref="EventCount"/> for per-event figures.
/// </summary>
[MemoryDiagnoser]
public class EventPathBenchmarks
{
    private const int Deltas = 1000;
    private byte[][] _events = [];
    private IChatClient _official = null!;
    private ChatMessage[] _prompt = [];

    /// <summary>Gets how many events one operation handles.</summary>
    public int EventCount => _events.Length;

    [GlobalSetup]
    public void Setup()
    {
        var events = RealEventShape.TextAnswer(Deltas);
        _events = [.. events.Select(Encoding.UTF8.GetBytes)];
        var sse = RealEventShape.AsServerSentEvents(events);
        var http = new HttpClient(new InMemorySseHandler(sse));
        _official = new OpenAIClient(new ApiKeyCredential("local"), new OpenAIClientOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), Transport = new HttpClientPipelineTransport(http) })
            .GetResponsesClient().AsIChatClient("gpt-5.2");
        _prompt = [new ChatMessage(ChatRole.User, "go")];
    }

    [GlobalCleanup]
    public void Cleanup() => _official.Dispose();

    [Benchmark(Description = "this library: parse only")]
    public int Parse()
    {
        var count = 0;
        string? itemId = null;
        ResponseWire? response = null;
        var pool = new ServerEventPool();
        foreach (var e in _events)
        {
            // As the reader loop does: the previous event's item_id and the previous snapshot's id and model are reused
            // while they match, and each event is parsed into one its consumer handed back (TurnRunner recycles each
            // event once it is mapped).
            var evt = ServerEventParser.Parse(e, previousItemId: itemId, reuse: pool.Rent(), previousResponse: response);
            itemId = evt.ItemId ?? itemId;
            response = evt.Response ?? response;
            count += (int)evt.Type;
            pool.Return(evt);
        }

        return count;
    }

    [Benchmark(Description = "this library: parse + map to ChatResponseUpdate")]
    public int ParseAndMap()
    {
        var mapper = new ResponseUpdateMapper(conversationIdIsResponseId: true);
        var count = 0;
        string? itemId = null;
        ResponseWire? response = null;
        var pool = new ServerEventPool();
        foreach (var e in _events)
        {
            var evt = ServerEventParser.Parse(e, previousItemId: itemId, reuse: pool.Rent(), previousResponse: response);
            itemId = evt.ItemId ?? itemId;
            response = evt.Response ?? response;
            if (mapper.Map(evt) is not null) count++;
            while (mapper.TakeReleased() is not null) count++;
            pool.Return(evt);
        }

        return count;
    }

    [Benchmark(Baseline = true, Description = "official: SSE from memory → StreamingResponseUpdate → ChatResponseUpdate")]
    public async Task<int> OfficialSseFromMemory()
    {
        var count = 0;
        await foreach (var update in _official.GetStreamingResponseAsync(_prompt))
        {
            count++;
        }

        return count;
    }

    /// <summary>Answers every request with the same SSE body, without a socket.</summary>
    private sealed class InMemorySseHandler(byte[] body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
