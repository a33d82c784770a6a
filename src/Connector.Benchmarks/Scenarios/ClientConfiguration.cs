using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>One client under test, wrapped in the same FunctionInvokingChatClient as every other.</summary>
internal sealed class ClientConfiguration : IAsyncDisposable
{
    private readonly Func<long> _socketsOpened;
    private readonly Func<long> _bytesUploaded;
    private readonly Func<ValueTask> _dispose;

    private readonly Action<ChatOptions>? _configure;

    public ClientConfiguration(string name, IChatClient inner, Action<ChatOptions>? configure, Func<long> socketsOpened, Func<long> bytesUploaded, Func<ValueTask> dispose, IChatClient? uploadCounter = null)
    {
        Name = name;
        _configure = configure;
        _socketsOpened = socketsOpened;
        _bytesUploaded = bytesUploaded;
        _dispose = dispose;

        // A loop of 50 calls needs more than FunctionInvokingChatClient's default of 40 iterations.
        Agent = Wrap(inner);
        UploadCounter = uploadCounter is null ? Agent : Wrap(uploadCounter);
    }

    public string Name { get; }

    private static IChatClient Wrap(IChatClient inner) =>
        new ChatClientBuilder(inner).UseFunctionInvocation(configure: f => f.MaximumIterationsPerRequest = 200).Build();

    /// <summary>
    /// Gets the agent for the upload pass: a second instance of the same client, for a client whose byte counting costs
    /// something (so the timed agent never pays for it); otherwise <see cref="Agent"/>.
    /// </summary>
    public IChatClient UploadCounter { get; private set; } = null!;

    public IChatClient Agent { get; }

    /// <summary>Gets how many TCP connections (HTTP) or WebSocket handshakes the client has made so far.</summary>
    public long SocketsOpened => _socketsOpened();

    /// <summary>Gets the request payload bytes sent so far (HTTP bodies, or WebSocket message payloads), headers and framing excluded.</summary>
    public long BytesUploaded => _bytesUploaded();

    /// <summary>Runs one tool loop and returns the length of the text it produced (checked against the scripted answer).</summary>
    public async Task<int> RunLoopAsync(ScenarioCell cell, AIFunction tool, bool countingUploads = false)
    {
        var agent = countingUploads ? UploadCounter : Agent;
        List<ChatMessage> messages = [new(ChatRole.User, ScenarioModel.Prompt(cell.Calls))];
        var options = new ChatOptions { Tools = [tool] };
        _configure?.Invoke(options);
        if (cell.Streaming)
        {
            var length = 0;
            await foreach (var update in agent.GetStreamingResponseAsync(messages, options))
            {
                length += update.Text.Length;
            }

            return length;
        }

        var response = await agent.GetResponseAsync(messages, options);
        return response.Text.Length;
    }

    public async ValueTask DisposeAsync()
    {
        Agent.Dispose();
        if (!ReferenceEquals(UploadCounter, Agent)) UploadCounter.Dispose();
        await _dispose();
    }
}
