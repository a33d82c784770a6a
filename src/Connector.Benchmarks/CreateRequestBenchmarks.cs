using System.ClientModel.Primitives;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;
using OpenAI.Responses;
using ResponsesWebSocket.Mapping;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Benchmarks;

/// <summary>
/// Serialising one create with a 50-item history (a user message, then 24 function calls with their 200-byte results,
/// then a last call): what a full request costs. This library: mapping the ChatMessages to input items and writing the
/// frame, or writing the frame from items already mapped (a full resend from the transcript). The official SDK
/// (OpenAI 2.14): writing a CreateResponseOptions holding the same 50 ResponseItems with ModelReaderWriter (the MEAI
/// mapping from ChatMessages to ResponseItems is internal to MEAI.OpenAI and is not included, so the official figure is
/// a lower bound of its full path).
/// </summary>
[MemoryDiagnoser]
public class CreateRequestBenchmarks
{
    private const int Pairs = 24;
    private static readonly string Result = new('r', 200);
    private List<ChatMessage> _messages = [];
    private CreateRequest _mapped = null!;
    private CreateResponseOptions _official = null!;

    [GlobalSetup]
    public void Setup()
    {
        _messages = [new ChatMessage(ChatRole.User, "Collect the data blocks and summarise them.")];
        var items = new List<ResponseItem> { ResponseItem.CreateUserMessageItem("Collect the data blocks and summarise them.") };
        for (var i = 0; i < Pairs; i++)
        {
            var callId = $"call_{i:D2}a8f3c1d9e7b5";
            var arguments = $"{{\"index\":{i}}}";
            _messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(callId, "get_data", new Dictionary<string, object?> { ["index"] = i })]));
            _messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(callId, Result)]));
            items.Add(ResponseItem.CreateFunctionCallItem(callId, "get_data", BinaryData.FromString(arguments)));
            items.Add(ResponseItem.CreateFunctionCallOutputItem(callId, Result));
        }

        _messages.Add(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_lasta8f3c1d9e7b5", "get_data", new Dictionary<string, object?> { ["index"] = Pairs })]));
        items.Add(ResponseItem.CreateFunctionCallItem("call_lasta8f3c1d9e7b5", "get_data", BinaryData.FromString($"{{\"index\":{Pairs}}}")));

        _mapped = new CreateRequest { Model = "gpt-5.2" };
        ChatMessageMapper.AppendInputItems(_messages, _mapped.Input);
        _official = new CreateResponseOptions("gpt-5.2", items) { StoredOutputEnabled = false, StreamingEnabled = true };
    }

    /// <summary>Gets how many input items the request carries.</summary>
    public int ItemCount => _mapped.Input.Count;

    [Benchmark(Description = "this library: map 50 ChatMessages + write frame")]
    public int MapAndWrite()
    {
        var request = new CreateRequest { Model = "gpt-5.2" };
        ChatMessageMapper.AppendInputItems(_messages, request.Input);
        return CreateRequestWriter.WriteToArray(request, RequestTransport.WebSocket).Length;
    }

    [Benchmark(Description = "this library: write frame from mapped items (full resend)")]
    public int WriteOnly() => CreateRequestWriter.WriteToArray(_mapped, RequestTransport.WebSocket).Length;

    [Benchmark(Baseline = true, Description = "official SDK: ModelReaderWriter.Write(CreateResponseOptions)")]
    public int Official() => ModelReaderWriter.Write(_official).ToMemory().Length;
}
