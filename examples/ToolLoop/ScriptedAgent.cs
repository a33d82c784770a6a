using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;

namespace ToolLoop;

/// <summary>
/// A deterministic stand-in for a real model on the local server: it plays an agent that plans from the user's words and
/// from the tool results the conversation holds so far, one step per model turn:
/// weather for every known city the user named (in parallel), then Fahrenheit for each temperature when asked,
/// then the local time of the last city named when asked, then an answer built only from the tool outputs.
/// </summary>
internal static class ScriptedAgent
{
    public static ScriptedReply Reply(ModelTurn turn)
    {
        var declared = turn.Tools.Select(t => StringOf(t, "name")).ToHashSet(StringComparer.Ordinal);
        var ask = turn.LastUserText ?? string.Empty;
        var cities = WeatherTools.KnownCities
            .Where(c => ask.Contains(c, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => ask.IndexOf(c, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var results = ToolResultsSinceLastUserMessage(turn);

        // Step 1: weather for every city named and not looked up yet, as parallel calls.
        var missing = cities.Where(c => !results.Any(r => r.Name == WeatherTools.GetWeather && Arg(r, "city") == c)).ToList();
        if (missing.Count > 0 && declared.Contains(WeatherTools.GetWeather))
        {
            return Call(missing.Select(c => (WeatherTools.GetWeather, (object)new { city = c })));
        }

        var weather = Outputs<WeatherReport>(results, WeatherTools.GetWeather);

        // Step 2: Fahrenheit for each temperature, when the user asked for it.
        var temperatures = Outputs<Temperature>(results, WeatherTools.ConvertTemperature);
        var unconverted = weather.Where(w => !results.Any(r => r.Name == WeatherTools.ConvertTemperature && Arg(r, "celsius") == Number(w.TemperatureC))).ToList();
        if (Mentions(ask, "fahrenheit") && unconverted.Count > 0 && declared.Contains(WeatherTools.ConvertTemperature))
        {
            return Call(unconverted.Select(w => (WeatherTools.ConvertTemperature, (object)new { celsius = w.TemperatureC })));
        }

        // Step 3: the local time of the last city named (the destination), when the user asked for it.
        var times = Outputs<LocalTime>(results, WeatherTools.GetLocalTime);
        if (Mentions(ask, "time") && cities.Count > 0 && !results.Any(r => r.Name == WeatherTools.GetLocalTime) && declared.Contains(WeatherTools.GetLocalTime))
        {
            return Call([(WeatherTools.GetLocalTime, new { city = cities[^1] })]);
        }

        return ScriptedReply.WithText(Answer(weather, temperatures, times));
    }

    private static string Answer(List<WeatherReport> weather, List<Temperature> temperatures, List<LocalTime> times)
    {
        if (weather.Count == 0)
        {
            return $"I can look up the weather and local time for {string.Join(", ", WeatherTools.KnownCities)}. Which city?";
        }

        var text = new StringBuilder();
        foreach (var w in weather)
        {
            var f = temperatures.FirstOrDefault(t => t.Celsius.Equals(w.TemperatureC));
            text.Append(CultureInfo.InvariantCulture, $"{w.City}: {Number(w.TemperatureC)} °C");
            text.Append(f is null ? string.Empty : $" ({Number(f.Fahrenheit)} °F)");
            text.Append(CultureInfo.InvariantCulture, $", {w.Conditions}, humidity {w.HumidityPercent}%. ");
        }

        foreach (var t in times)
        {
            text.Append(CultureInfo.InvariantCulture, $"It is {t.Time} in {t.City} right now (UTC{t.UtcOffset}). ");
        }

        var wet = weather.Where(w => Mentions(w.Conditions, "rain") || Mentions(w.Conditions, "shower")).Select(w => w.City).ToList();
        text.Append(wet.Count > 0 ? $"Take an umbrella in {string.Join(" and ", wet)}." : "No umbrella needed.");
        return text.ToString();
    }

    /// <summary>A tool call the conversation holds and its output: the <c>function_call</c> found in the context by call id.</summary>
    private sealed record ToolResult(string Name, JsonElement Arguments, string Output);

    private static List<ToolResult> ToolResultsSinceLastUserMessage(ModelTurn turn)
    {
        var calls = turn.Context
            .Where(i => StringOf(i, "type") == "function_call")
            .GroupBy(i => StringOf(i, "call_id"))
            .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var results = new List<ToolResult>();
        foreach (var output in turn.FunctionOutputsSinceLastUserMessage)
        {
            if (calls.TryGetValue(StringOf(output, "call_id"), out var call))
            {
                using var args = JsonDocument.Parse(StringOf(call, "arguments") is { Length: > 0 } a ? a : "{}");
                results.Add(new ToolResult(StringOf(call, "name"), args.RootElement.Clone(), StringOf(output, "output")));
            }
        }

        return results;
    }

    /// <summary>The outputs of one tool that parse as its result type; failed calls ("Error: …") are skipped.</summary>
    private static List<T> Outputs<T>(List<ToolResult> results, string name)
    {
        var parsed = new List<T>();
        foreach (var r in results.Where(r => r.Name == name))
        {
            try
            {
                if (JsonSerializer.Deserialize<T>(r.Output, AIJsonUtilities.DefaultOptions) is { } value) parsed.Add(value);
            }
            catch (JsonException)
            {
            }
        }

        return parsed;
    }

    private static ScriptedReply Call(IEnumerable<(string Name, object Arguments)> calls) =>
        ScriptedReply.CallFunctions([.. calls.Select(c => new ScriptedFunctionCall(c.Name, JsonSerializer.Serialize(c.Arguments)))]);

    private static string? Arg(ToolResult result, string name) =>
        result.Arguments.ValueKind == JsonValueKind.Object && result.Arguments.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    private static string StringOf(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? string.Empty
            : string.Empty;

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static bool Mentions(string text, string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);
}
