// AgentFramework: a Microsoft Agent Framework agent (AsAIAgent) with a tool, over the Responses WebSocket client, and one
// session across user turns. The session keeps the ConversationId the client returns, so every request after the
// first goes out chained: previous_response_id plus only the new items, on the socket that caches the conversation.
// With OPENAI_API_KEY set it talks to the real service (OPENAI_BASE_URL and OPENAI_MODEL are honoured); without it, it
// starts the bundled local Responses server on 127.0.0.1 and talks to that.
using System.ComponentModel;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using ResponsesWebSocket;
using ResponsesWebSocket.Examples;

await using var target = await ExampleTarget.StartAsync(OfflineWeatherModel.Reply);

using var summary = new ChainSummary();
await using var client = new ResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions
{
    Endpoint = target.Endpoint,
    ApiKey = target.ApiKey,
    Model = target.Model,
});

AIAgent agent = client.AsAIAgent(
    instructions: "You are a weather assistant. Use get_weather for every city the user names. Answer in one sentence.",
    tools: [AIFunctionFactory.Create(GetWeather, "get_weather")]);
var session = await agent.CreateSessionAsync();

foreach (var prompt in new[] { "Is it raining in Lisbon?", "What about Tokyo?", "Thanks! Which of the two is warmer?" })
{
    Console.WriteLine();
    Console.WriteLine($"> {prompt}");
    await foreach (var update in agent.RunStreamingAsync(prompt, session))
    {
        ContentPrinter.Print(update.Contents);
    }

    Console.WriteLine();
}

Console.WriteLine();
Console.WriteLine(summary);

[Description("Gets the current weather for a city.")]
static string GetWeather([Description("The city name.")] string city) => city switch
{
    "Lisbon" => "Lisbon: 22 °C, sunny",
    "Tokyo" => "Tokyo: 16 °C, light rain",
    _ => $"{city}: 20 °C, clear skies",
};
