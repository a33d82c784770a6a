using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;
using ResponsesWebSocket.Tests.Testing;

namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>Where fuzz seeds come from: the local server itself (always), and recorded real streams (when present).</summary>
internal static class FuzzSeeds
{
    private static readonly string[] Terminals = ["response.completed", "response.incomplete", "response.failed", "response.cancelled", "response.done", "error"];

    /// <summary>
    /// Streams the local server generates for a spread of replies (text with citations, reasoning, refusal, function calls,
    /// incomplete, failed, an error event), captured off a raw socket, so the fuzzer runs on a fresh clone.
    /// </summary>
    public static async Task<List<FuzzSeed>> CaptureBuiltInAsync()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var replies = new (string Name, ScriptedReply? Reply, Action<LocalResponsesServer>? Fault)[]
        {
            ("text", null, null),
            ("text-citations", new ScriptedReply { Text = "See the docs at example.org for more.", Citations = [new ScriptedCitation("https://example.org/docs", "Docs", 4, 8)] }, null),
            ("reasoning", new ScriptedReply { ReasoningSummary = "Thinking about it.", Text = "Forty-two." }, null),
            ("refusal", new ScriptedReply { Refusal = "I can't help with that." }, null),
            ("function-calls", ScriptedReply.CallFunctions(new ScriptedFunctionCall("get_weather", """{"city":"Paris"}"""), new ScriptedFunctionCall("get_time", "{}")), null),
            ("incomplete", new ScriptedReply { Text = "Cut short", IncompleteReason = "max_output_tokens" }, null),
            ("failed", new ScriptedReply { Failure = ("server_error", "The model crashed.") }, null),
            ("error", null, s => s.Faults.ErrorOnNextCreate("rate_limit_exceeded", "Slow down.", status: 429, type: "requests")),
        };

        using var socket = await WireClient.ConnectAsync(server);
        var seeds = new List<FuzzSeed>();
        foreach (var (name, reply, fault) in replies)
        {
            if (reply is not null) server.Model.Enqueue(reply);
            fault?.Invoke(server);
            await WireClient.SendAsync(socket, WireClient.Create("""{"model":"local-model","store":false,"input":"Tell me something about fuzzing, please."}"""));
            seeds.Add(new FuzzSeed("local:" + name, await ReadStreamAsync(socket)));
        }

        return seeds;
    }

    /// <summary>Real recorded streams (one seed per response); empty when the recordings folder is absent.</summary>
    public static List<FuzzSeed> LoadRecorded()
    {
        var seeds = new List<FuzzSeed>();
        if (!SharedRecordings.Available) return seeds;

        foreach (var file in Directory.GetFiles(SharedRecordings.PathOf("vercel-ai"), "*.chunks.txt").Order(StringComparer.Ordinal))
        {
            AddResponses(seeds, "vercel-ai/" + Path.GetFileName(file), File.ReadAllLines(file));
        }

        foreach (var file in Directory.GetFiles(SharedRecordings.PathOf("dotnet-extensions"), "*.sse").Order(StringComparer.Ordinal))
        {
            var data = File.ReadAllLines(file).Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]);
            AddResponses(seeds, "dotnet-extensions/" + Path.GetFileName(file), data);
        }

        return seeds;
    }

    /// <summary>Splits back-to-back responses at their terminal events.</summary>
    private static void AddResponses(List<FuzzSeed> seeds, string name, IEnumerable<string> lines)
    {
        var current = new List<byte[]>();
        var part = 0;
        foreach (var line in lines.Where(l => l.Trim().Length > 0))
        {
            current.Add(Encoding.UTF8.GetBytes(line));
            if (TypeOf(line) is { } type && Terminals.Contains(type) && type != "error")
            {
                seeds.Add(new FuzzSeed($"{name}#{part++}", current));
                current = [];
            }
        }

        if (current.Count > 0) seeds.Add(new FuzzSeed($"{name}#{part}", current));
    }

    private static async Task<List<byte[]>> ReadStreamAsync(ClientWebSocket socket)
    {
        var frames = new List<byte[]>();
        while (true)
        {
            var (type, bytes) = await WireClient.ReceiveMessageAsync(socket);
            if (type != WebSocketMessageType.Text) throw new InvalidOperationException("The local server sent a non-text frame.");
            frames.Add(bytes);
            if (TypeOf(Encoding.UTF8.GetString(bytes)) is { } eventType && Terminals.Contains(eventType)) return frames;
        }
    }

    private static string? TypeOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
