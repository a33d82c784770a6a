// DependencyInjection: the client in a generic host, configured from appsettings.json (section "ResponsesWebSocket"),
// with the usual MEAI middleware, console logging, options validated at start, two chained user turns with a tool,
// and the client's metrics printed at exit.
// With OPENAI_API_KEY set it talks to the real service (OPENAI_BASE_URL and OPENAI_MODEL are honoured); without it, it
// starts the bundled local Responses server on 127.0.0.1 and talks to that.
using System.ComponentModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponsesWebSocket;
using ResponsesWebSocket.Examples;
using ResponsesWebSocket.Testing;

var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
await using var localServer = string.IsNullOrEmpty(apiKey) ? await LocalResponsesServer.StartAsync() : null;
using var summary = new ChainSummary();

// appsettings.json is read from the output folder, so `dotnet run --project` works from any directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);

// appsettings.json holds the settings; the environment only says where to connect (and overrides the model).
var overrides = new Dictionary<string, string?>();
if (localServer is not null)
{
    localServer.Model.Responder = OfflineWeatherModel.Reply;
    overrides["ResponsesWebSocket:Endpoint"] = localServer.BaseUri.ToString();
    overrides["ResponsesWebSocket:Model"] = "local-model";
    Console.WriteLine($"OPENAI_API_KEY is not set: using the local Responses server at {localServer.BaseUri}.");
}
else if (Environment.GetEnvironmentVariable("OPENAI_BASE_URL") is { Length: > 0 } baseUrl)
{
    overrides["ResponsesWebSocket:Endpoint"] = baseUrl;
}

if (Environment.GetEnvironmentVariable("OPENAI_MODEL") is { Length: > 0 } model) overrides["ResponsesWebSocket:Model"] = model;
builder.Configuration.AddInMemoryCollection(overrides);

// The key comes from the environment, not from the file; everything else binds from the section.
builder.Services.AddResponsesWebSocketChatClient(builder.Configuration.GetSection("ResponsesWebSocket"), o => o.ApiKey = apiKey)
    .UseFunctionInvocation()
    .UseLogging();

using var host = builder.Build();
await host.StartAsync(); // ValidateOnStart: a missing key or model would stop here, naming the setting.
var configured = host.Services.GetRequiredService<IOptions<ResponsesWebSocketChatClientOptions>>().Value;
Console.WriteLine($"Configured: {configured.Endpoint}, model {configured.Model}, up to {configured.MaxConnections} sockets, "
    + $"connect timeout {configured.ConnectTimeout.TotalSeconds:0} s, extra headers: {string.Join(", ", configured.AdditionalHeaders.Keys)}.");

var chat = host.Services.GetRequiredService<IChatClient>();
var options = new ChatOptions
{
    Instructions = "You are a weather assistant. Use get_weather for every city the user names. Answer in one sentence.",
    Tools = [AIFunctionFactory.Create(GetWeather, "get_weather")],
};

string? conversationId = null;
foreach (var prompt in new[] { "What's the weather like in Paris?", "And in Oslo?" })
{
    Console.WriteLine();
    Console.WriteLine($"> {prompt}");
    var turnOptions = options.Clone();
    turnOptions.ConversationId = conversationId; // only the new message goes out; the id carries the history
    var updates = new List<ChatResponseUpdate>();
    await foreach (var update in chat.GetStreamingResponseAsync(prompt, turnOptions))
    {
        updates.Add(update);
        ContentPrinter.Print(update.Contents);
    }

    Console.WriteLine();
    conversationId = updates.ToChatResponse().ConversationId;
}

await host.StopAsync();
Console.WriteLine();
Console.WriteLine(summary);

[Description("Gets the current weather for a city.")]
static string GetWeather([Description("The city name.")] string city) => city switch
{
    "Paris" => "Paris: 18 °C, light rain",
    "Oslo" => "Oslo: 9 °C, showers",
    _ => $"{city}: 21 °C, clear skies",
};
