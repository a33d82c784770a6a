// ToolLoop: an agent with local C# tools, driven by FunctionInvokingChatClient and streamed over one Responses WebSocket.
// Every model turn after the first goes out chained (previous_response_id + only the new tool results or user message) on
// the socket that caches the conversation; the table at the end shows what each request frame cost against a full resend.
// With OPENAI_API_KEY set it talks to the real service (OPENAI_BASE_URL and OPENAI_MODEL are honoured); without it, it
// starts the bundled local Responses server on 127.0.0.1 with a scripted agent model (ScriptedAgent.cs) and talks to that.
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket;
using ResponsesWebSocket.Examples;
using ToolLoop;

await using var target = await ExampleTarget.StartAsync(ScriptedAgent.Reply, "with a scripted agent model");

// The client's metrics, for the summary line; and one row per response.create frame, reported as the client sends it.
using var summary = new ChainSummary();
var frames = new List<(int Turn, ResponsesRequestInfo Info)>();
var userTurn = 0;

await using var client = new ResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions
{
    Endpoint = target.Endpoint,
    ApiKey = target.ApiKey,
    Model = target.Model,
    RequestSent = info =>
    {
        lock (frames)
        {
            frames.Add((userTurn, info));
        }
    },
});

// The standard middleware runs the tool loop; the invoker hook prints one line per tool call.
var atLineStart = true;
var compactJson = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
IChatClient agent = new ChatClientBuilder(client)
    .UseFunctionInvocation(configure: invoking => invoking.FunctionInvoker = async (context, cancellationToken) =>
    {
        var result = await context.Function.InvokeAsync(context.Arguments, cancellationToken);
        var arguments = string.Join(", ", context.Arguments.Select(a => $"{a.Key}: {JsonSerializer.Serialize(a.Value, compactJson)}"));
        var output = result is null ? "null" : JsonSerializer.Serialize(result, compactJson);
        Console.WriteLine($"{(atLineStart ? "" : Environment.NewLine)}  [tool, model turn {context.Iteration + 1}] {context.Function.Name}({arguments}) -> {output}");
        atLineStart = true;
        return result;
    })
    .Build();

var options = new ChatOptions
{
    Instructions = "You are a travel assistant. Use the tools for every fact: get_weather for each city, convert_temperature "
        + "for every temperature the user wants in Fahrenheit, get_local_time for local times. Answer in two or three sentences.",
    Tools = new WeatherTools(TimeProvider.System).AsTools(),
};

string[] prompts =
[
    "I'm flying from Paris to Tokyo tonight. What's the weather in both cities, in Celsius and Fahrenheit, and what time is it in Tokyo right now?",
    "And Oslo next week? Will I need an umbrella there?",
];

string? conversationId = null;
foreach (var prompt in prompts)
{
    userTurn++;
    Console.WriteLine();
    Console.WriteLine($"> {prompt}");

    // Only the new user message goes in; the conversation id of the previous answer carries the history.
    var turnOptions = options.Clone();
    turnOptions.ConversationId = conversationId;
    var updates = new List<ChatResponseUpdate>();
    await foreach (var update in agent.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, prompt)], turnOptions))
    {
        updates.Add(update);
        if (update.Text is { Length: > 0 } text)
        {
            Console.Write(text);
            atLineStart = text.EndsWith('\n');
        }
    }

    if (!atLineStart) Console.WriteLine();
    atLineStart = true;
    conversationId = updates.ToChatResponse().ConversationId;
}

PrintFrames(frames, summary.SocketsOpened);
Console.WriteLine(summary);

static void PrintFrames(List<(int Turn, ResponsesRequestInfo Info)> frames, long socketsOpened)
{
    var c = CultureInfo.InvariantCulture;
    Console.WriteLine();
    Console.WriteLine("Request frames (response.create):");
    Console.WriteLine(string.Create(c, $"{"turn",4} {"iter",4} {"socket",6}  {"sent as",-28} {"items",5} {"bytes",8}   {"full-history items",18} {"full-history bytes",18}"));
    var iteration = 0;
    var previousTurn = 0;
    foreach (var (turn, info) in frames)
    {
        iteration = turn == previousTurn ? iteration + 1 : 1;
        previousTurn = turn;
        var sentAs = info.Status == ChainStatus.Chained ? "chained" : $"full ({info.Status})";
        if (info.Attempt > 0) sentAs += " resend";
        Console.WriteLine(string.Create(c, $"{turn,4} {iteration,4} {info.ConnectionId,6}  {sentAs,-28} {info.ItemsSent,5} {info.BytesSent,8:N0}   {info.FullHistoryItems,18} {info.FullHistoryBytes,18:N0}"));
    }

    long sent = frames.Sum(f => (long)f.Info.BytesSent);
    long full = frames.Sum(f => f.Info.FullHistoryBytes);
    Console.WriteLine();
    Console.WriteLine(string.Create(c, $"Sockets opened:                      {socketsOpened}"));
    Console.WriteLine(string.Create(c, $"Bytes sent:                          {sent:N0}"));
    Console.WriteLine(string.Create(c, $"Full-history resends would have sent: {full:N0}"));
    Console.WriteLine(string.Create(c, $"Saving:                              {(full == 0 ? 0 : 100.0 * (full - sent) / full):0.0}%"));
}
