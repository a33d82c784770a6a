using Microsoft.Extensions.AI;
using ResponsesWebSocket;
using ResponsesWebSocket.Examples;

namespace WebFarm;

/// <summary>
/// One instance of the application ("node A", "node B"): its own <see cref="ResponsesWebSocketChatClient"/> (its own
/// sockets and in-memory transcripts) behind the usual function-invoking middleware, sharing only the transcript store
/// with the other nodes, as two processes behind a load balancer would.
/// </summary>
internal sealed class Node : IAsyncDisposable
{
    private readonly ResponsesWebSocketChatClient _client;
    private readonly IChatClient _agent;
    private readonly List<ResponsesRequestInfo> _frames = [];

    public Node(string name, ExampleTarget target, ITranscriptStore transcripts)
    {
        Name = name;
        _client = new ResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions
        {
            Endpoint = target.Endpoint,
            ApiKey = target.ApiKey,
            Model = target.Model,
            Store = false, // zero data retention: the service keeps nothing, the shared transcript is the only copy
            TranscriptStore = transcripts,
            TranscriptIdleTimeout = TimeSpan.FromMinutes(10),
            RequestSent = info =>
            {
                lock (_frames) _frames.Add(info);
            },
        });
        _agent = new ChatClientBuilder(_client).UseFunctionInvocation().Build();
    }

    public string Name { get; }

    /// <summary>Runs one user turn (with its tool calls) and returns the new conversation id and the request frames it sent.</summary>
    public async Task<(string? ConversationId, IReadOnlyList<ResponsesRequestInfo> Frames)> RunTurnAsync(string prompt, ChatOptions options)
    {
        lock (_frames) _frames.Clear();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in _agent.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, prompt)], options))
        {
            updates.Add(update);
            ContentPrinter.Print(update.Contents);
        }

        Console.WriteLine();
        lock (_frames) return (updates.ToChatResponse().ConversationId, [.. _frames]);
    }

    public async ValueTask DisposeAsync()
    {
        // The client first, so its sockets close with a handshake; the middleware's Dispose then finds it disposed.
        await _client.DisposeAsync();
        _agent.Dispose();
    }
}
