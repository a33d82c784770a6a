// SemanticKernel: a Semantic Kernel "agent" (a Kernel with a plugin, a ChatHistory carried over user turns, automatic
// function calling) on the ResponsesWebSocket.SemanticKernel registration. Semantic Kernel resends its whole ChatHistory
// on every call; the client recognises it by content, so every frame after the first goes out chained on one socket
// (previous_response_id + only the new user message or tool results).
// With OPENAI_API_KEY set it talks to the real service (OPENAI_BASE_URL and OPENAI_MODEL are honoured); without it, it
// starts the bundled local Responses server on 127.0.0.1 with a scripted librarian model (ScriptedLibrarian.cs).
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using ResponsesWebSocket;
using ResponsesWebSocket.Examples;
using SemanticKernelExample;

await using var target = await ExampleTarget.StartAsync(ScriptedLibrarian.Reply, "with a scripted librarian model");

// One entry per response.create frame, reported (and printed) by the client as it sends it.
var frames = new List<ResponsesRequestInfo>();
var atLineStart = true;
var builder = Kernel.CreateBuilder().AddResponsesWebSocketChatClient(new ResponsesWebSocketChatClientOptions
{
    Endpoint = target.Endpoint,
    ApiKey = target.ApiKey,
    Model = target.Model,
    RequestSent = info =>
    {
        lock (frames)
        {
            frames.Add(info);
        }

        var sentAs = info.Status == ChainStatus.Chained ? "chained" : $"full ({info.Status})";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(atLineStart ? "" : Environment.NewLine)}  [frame {frames.Count}, socket {info.ConnectionId}] {sentAs}: {info.ItemsSent} item(s), {info.BytesSent:N0} bytes (full history: {info.FullHistoryItems} items, {info.FullHistoryBytes:N0} bytes)"));
        atLineStart = true;
    },
});
builder.Plugins.AddFromType<LibraryPlugin>(LibraryPlugin.Name);

// Semantic Kernel's own filter hook prints each tool call as the kernel runs it.
builder.Services.AddSingleton<IAutoFunctionInvocationFilter>(new ToolCallPrinter(() => atLineStart, () => atLineStart = true));
var kernel = builder.Build();
await using var services = (ServiceProvider)kernel.Services;

var chat = kernel.GetRequiredService<IChatCompletionService>();
var settings = new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
var history = new ChatHistory(
    "You are a library assistant. Use the tools for every fact: find_book for each title the user names, reserve_book "
    + "when asked to reserve a book. Answer in one or two sentences.");

string[] prompts =
[
    "Is Dune on the shelf?",
    "Please reserve it for member 42. And is Emma available?",
];

foreach (var prompt in prompts)
{
    Console.WriteLine();
    Console.WriteLine($"> {prompt}");
    history.AddUserMessage(prompt);

    // The kernel runs the tools between model turns; the text streams as it arrives. The tool calls and results join
    // the history (Semantic Kernel adds them), the answer is added here, and the next turn resends it all.
    var answer = new System.Text.StringBuilder();
    await foreach (var chunk in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel))
    {
        if (chunk.Content is { Length: > 0 } text)
        {
            Console.Write(text);
            answer.Append(text);
            atLineStart = text.EndsWith('\n');
        }
    }

    if (!atLineStart) Console.WriteLine();
    atLineStart = true;
    history.AddAssistantMessage(answer.ToString());
}

var sockets = frames.Select(f => f.ConnectionId).Distinct().Count();
long sent = frames.Sum(f => (long)f.BytesSent);
long full = frames.Sum(f => f.FullHistoryBytes);
var chained = frames.Count(f => f.Status == ChainStatus.Chained);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Summary: {sockets} socket(s), {chained} of {frames.Count} frames chained, {sent:N0} bytes sent instead of {full:N0} for full-history resends ({(full == 0 ? 0 : 100.0 * (full - sent) / full):0.0}% saved)."));
