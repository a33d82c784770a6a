// WebFarm: two instances of one application ("node A" and "node B", as behind a load balancer) share one Redis through
// DistributedTranscriptStore and carry one store=false tool-calling conversation between them, alternating nodes from
// one user turn to the next by passing the ConversationId. The node that did not serve the previous turn has no socket
// caching the conversation: its first request of the turn goes out as a full create rebuilt from the shared
// transcript, and the rest of the turn (the tool results) chains on its own socket. A turn served by the node that
// served the previous one chains at once. At the end: what each turn wrote to Redis.
// Redis: configuration ConnectionStrings:Redis (environment ConnectionStrings__Redis=127.0.0.1:6379), default
// localhost:6379. With OPENAI_API_KEY set it talks to the real service (OPENAI_BASE_URL and OPENAI_MODEL are honoured);
// without it, it starts the bundled local Responses server on 127.0.0.1 with a scripted weather model.
using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using ResponsesWebSocket;
using ResponsesWebSocket.Examples;
using StackExchange.Redis;
using WebFarm;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
var redisAddress = configuration.GetConnectionString("Redis") is { Length: > 0 } configured ? configured : "localhost:6379";

await using var redis = await RedisConnection.TryConnectAsync(redisAddress);
if (redis is null) return 1;
Console.WriteLine($"Redis at {redisAddress}: connected.");

await using var target = await ExampleTarget.StartAsync(OfflineWeatherModel.Reply, "with a scripted weather model");
using var summary = new ChainSummary();

// One store over one Redis, shared by both nodes; the counting decorator only watches what goes through.
using var redisCache = new RedisCache(new RedisCacheOptions { ConnectionMultiplexerFactory = () => Task.FromResult<IConnectionMultiplexer>(redis) });
var cache = new CountingDistributedCache(redisCache);
var transcripts = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = "webfarm-example:" });
await using var nodeA = new Node("A", target, transcripts);
await using var nodeB = new Node("B", target, transcripts);

var options = new ChatOptions
{
    Instructions = "You are a weather assistant. Use get_weather for every city the user names. Answer in one sentence.",
    Tools = [AIFunctionFactory.Create(GetWeather, "get_weather")],
};

(Node Node, string Prompt)[] turns =
[
    (nodeA, "What's the weather like in Paris?"),
    (nodeB, "And in Tokyo?"),
    (nodeA, "How about Oslo?"),
    (nodeB, "Which of these cities needs an umbrella?"),
    (nodeB, "Thanks. Remind me what we looked up?"),
];

string? conversationId = null;
var rows = new List<TurnRow>();
cache.TakeTraffic();
for (var i = 0; i < turns.Length; i++)
{
    var (node, prompt) = turns[i];
    Console.WriteLine();
    Console.WriteLine($"[turn {i + 1}, node {node.Name}] > {prompt}");
    var turnOptions = options.Clone();
    turnOptions.ConversationId = conversationId; // only the new message goes out; the id carries the history
    var (nextId, frames) = await node.RunTurnAsync(prompt, turnOptions);
    conversationId = nextId;
    var traffic = cache.TakeTraffic();
    var row = new TurnRow(i + 1, node.Name, frames, traffic, await MemoryUsageAsync(redis, traffic.KeysWritten));
    rows.Add(row);
    Console.WriteLine($"  node {node.Name}: {row.DescribeFrames()}");
}

TurnRow.PrintTable(rows);
Console.WriteLine(summary);

// The example leaves nothing behind in Redis (the entries would otherwise expire after TranscriptIdleTimeout).
var keys = rows.SelectMany(r => r.Traffic.KeysWritten).Distinct(StringComparer.Ordinal).ToList();
foreach (var key in keys) await redisCache.RemoveAsync(key);
Console.WriteLine($"Removed the {keys.Count} keys the example wrote.");
return 0;

// Redis's own account of the keys a turn wrote (MEMORY USAGE: value, key and Redis's overhead), or null when unavailable.
static async Task<long?> MemoryUsageAsync(ConnectionMultiplexer redis, IReadOnlyList<string> keys)
{
    long total = 0;
    foreach (var key in keys.Distinct(StringComparer.Ordinal))
    {
        try
        {
            var usage = await redis.GetDatabase().ExecuteAsync("MEMORY", "USAGE", key);
            if (usage.IsNull) return null;
            total += (long)usage;
        }
        catch (RedisServerException)
        {
            return null; // MEMORY USAGE is disabled or renamed on this server
        }
    }

    return total;
}

[Description("Gets the current weather for a city.")]
static string GetWeather([Description("The city name.")] string city) => city switch
{
    "Paris" => "Paris: 18 °C, light rain",
    "Tokyo" => "Tokyo: 24 °C, clear skies",
    "Oslo" => "Oslo: 9 °C, showers",
    _ => string.Create(CultureInfo.InvariantCulture, $"{city}: 21 °C, clear skies"),
};
