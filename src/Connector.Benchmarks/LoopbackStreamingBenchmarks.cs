using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Benchmarks;

/// <summary>
/// One streamed response end to end over a real loopback WebSocket against the local server: send the create,
/// receive and map every event. Includes the local server's own work (it runs in this process), so it is an upper bound
/// on the client's cost, not the client alone.
/// </summary>
[MemoryDiagnoser]
public class LoopbackStreamingBenchmarks
{
    private LocalResponsesServer _server = null!;
    private ResponsesWebSocketChatClient _client = null!;
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
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Description = "stream one response (WebSocket, loopback)")]
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
