using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Benchmarks;

/// <summary>
/// A caller that resends its whole history without a ConversationId (Semantic Kernel, plain callers): the 50 messages
/// of <see cref="CreateRequestBenchmarks"/> are mapped afresh and matched by content against the known 49-item
/// transcript, which computes a content key (canonical JSON, SHA-256) for every incoming item.
/// </summary>
[MemoryDiagnoser]
public class ContentMatchBenchmarks
{
    private readonly List<ChatMessage> _messages = [];
    private TranscriptStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages.Add(new ChatMessage(ChatRole.User, "Collect the data blocks and summarise them."));
        for (var i = 0; i < 24; i++)
        {
            var callId = $"call_{i:D2}a8f3c1d9e7b5";
            _messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(callId, "get_data", new Dictionary<string, object?> { ["index"] = i })]));
            _messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, new string('r', 200))]));
        }

        var known = new List<InputItem>();
        ChatMessageMapper.AppendInputItems(_messages, known);
        _store = new TranscriptStore(1000, TimeSpan.FromHours(1), TimeProvider.System);
        _store.Add(new ResponseNode(null, known, "resp_known", 1, store: false));
        _messages.Add(new ChatMessage(ChatRole.User, "And now?"));
    }

    [Benchmark(Description = "map a resent 50-message history and match it by content")]
    public int MapAndMatch()
    {
        var incoming = new List<InputItem>();
        ChatMessageMapper.AppendInputItems(_messages, incoming);
        var plan = ChainPlanner.Plan(_store, "", null, incoming, 1, storeResponses: false);
        return plan.NewItems.Count;
    }
}
