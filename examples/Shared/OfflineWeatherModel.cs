using System.Text.Json;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Examples;

/// <summary>
/// What the local server's scripted model does in the examples that run offline: for a question naming a city it calls
/// <c>get_weather</c> for it, then answers from the tool's output; otherwise it answers from every tool output the
/// conversation holds (or echoes). Deterministic, and only ever
/// used against the local server, never a real model.
/// </summary>
internal static class OfflineWeatherModel
{
    private static readonly string[] Cities = ["Paris", "Tokyo", "Oslo", "Lisbon"];

    public static ScriptedReply Reply(ModelTurn turn)
    {
        var outputs = turn.FunctionOutputsSinceLastUserMessage;
        if (outputs.Count > 0)
        {
            return ScriptedReply.WithText("Here is what the weather service says: " + string.Join("; ", outputs.Select(OutputText)) + ".");
        }

        var ask = turn.LastUserText ?? string.Empty;
        var city = Cities.FirstOrDefault(c => ask.Contains(c, StringComparison.OrdinalIgnoreCase));
        var hasTool = turn.Tools.Any(t => t.TryGetProperty("name", out var name) && name.GetString() == "get_weather");
        if (city is not null && hasTool)
        {
            return ScriptedReply.CallFunctions(new ScriptedFunctionCall("get_weather", JsonSerializer.Serialize(new { city })));
        }

        // No city: answer from every tool output the conversation holds, which proves the server has the whole history
        // although the client sent only the new message.
        var known = turn.Context.Where(i => i.TryGetProperty("type", out var type) && type.GetString() == "function_call_output").Select(OutputText).ToList();
        return ScriptedReply.WithText(known.Count > 0
            ? "From what we looked up in this conversation: " + string.Join("; ", known) + "."
            : "You said: " + ask);
    }

    private static string? OutputText(JsonElement item) =>
        item.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.String ? output.GetString() : output.ToString();
}
