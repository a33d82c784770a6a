// QuickStart: one prompt, streamed to the console over a Responses WebSocket.
// With OPENAI_API_KEY set it talks to the real service (OPENAI_BASE_URL and OPENAI_MODEL are honoured);
// without it, it starts the bundled local Responses server on 127.0.0.1 and talks to that.
using Microsoft.Extensions.AI;
using ResponsesWebSocket;
using ResponsesWebSocket.Examples;

await using var target = await ExampleTarget.StartAsync();

await using var client = new ResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions
{
    Endpoint = target.Endpoint,
    ApiKey = target.ApiKey,
    Model = target.Model,
});

var prompt = args.Length > 0 ? string.Join(' ', args) : "Tell me a short story about a lighthouse keeper.";
Console.WriteLine($"> {prompt}");
await foreach (var update in client.GetStreamingResponseAsync(prompt))
{
    Console.Write(update.Text);
}

Console.WriteLine();
