// QuickStart: one prompt, streamed to the console over a Responses WebSocket.
// With OPENAI_API_KEY set it talks to the real service (OPENAI_BASE_URL and OPENAI_MODEL are honoured);
// without it, it starts the bundled local Responses server on 127.0.0.1 and talks to that.
using Microsoft.Extensions.AI;
using ResponsesWebSocket;
using ResponsesWebSocket.Testing;

var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
await using var localServer = string.IsNullOrEmpty(apiKey) ? await LocalResponsesServer.StartAsync() : null;

var endpoint = localServer?.BaseUri
    ?? new Uri(Environment.GetEnvironmentVariable("OPENAI_BASE_URL") ?? "https://api.openai.com/v1");
var model = Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? (localServer is null ? "gpt-5.2" : "local-model");
if (localServer is not null)
{
    Console.WriteLine($"OPENAI_API_KEY is not set: using the local Responses server at {localServer.BaseUri}.");
}

await using var client = new ResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions
{
    Endpoint = endpoint,
    ApiKey = apiKey,
    Model = model,
});

var prompt = args.Length > 0 ? string.Join(' ', args) : "Tell me a short story about a lighthouse keeper.";
Console.WriteLine($"> {prompt}");
await foreach (var update in client.GetStreamingResponseAsync(prompt))
{
    Console.Write(update.Text);
}

Console.WriteLine();
