using System.ClientModel;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Benchmarks;

/// <summary>
/// One streamed response end to end against the local server: this library over a loopback WebSocket, and the
/// official Microsoft.Extensions.AI.OpenAI client (OpenAI 2.14) over HTTP SSE as the baseline. Both include the local
/// server's own work (it runs in this process), which is the same for both, so the difference is the client path.
/// </summary>
[MemoryDiagnoser]
public class LoopbackStreamingBenchmarks
{
    private LocalResponsesServer _server = null!;
    private ResponsesWebSocketChatClient _client = null!;
    private IChatClient _official = null!;
    private string _text = "";

    /// <summary>Gets or sets how many words (about one delta each) the answer has.</summary>
    [Params(100, 1000)]
    public int Words { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { RecordRequests = false });
        _client = new ResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions { Endpoint = _server.BaseUri, Model = "local-model" });
        _text = string.Join(' ', Enumerable.Range(0, Words).Select(i => "word" + (i % 10)));
        _server.Model.Responder = _ => ScriptedReply.WithText(_text);
        _official = new OpenAIClient(new ApiKeyCredential("local"), new OpenAIClientOptions { Endpoint = _server.BaseUri })
            .GetResponsesClient().AsIChatClient("local-model");
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _client.DisposeAsync();
        _official.Dispose();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "official MEAI.OpenAI, HTTP SSE")]
    public async Task<int> StreamOneResponseOfficialSse()
    {
        var updates = 0;
        await foreach (var update in _official.GetStreamingResponseAsync("go"))
        {
            updates++;
        }

        return updates;
    }

    [Benchmark(Description = "this library, WebSocket")]
    public async Task<int> StreamOneResponse()
    {
        var updates = 0;
        await foreach (var update in _client.GetStreamingResponseAsync("go"))
        {
            updates++;
        }

        return updates;
    }
}
