using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.AI;

namespace ToolLoop;

/// <summary>What <c>get_weather</c> returns.</summary>
internal sealed record WeatherReport(string City, double TemperatureC, string Conditions, int HumidityPercent);

/// <summary>What <c>convert_temperature</c> returns.</summary>
internal sealed record Temperature(double Celsius, double Fahrenheit);

/// <summary>What <c>get_local_time</c> returns.</summary>
internal sealed record LocalTime(string City, string Time, string UtcOffset);

/// <summary>The agent's tools: plain C# methods exposed as <see cref="AIFunction"/>s. The data is fake but deterministic.</summary>
internal sealed class WeatherTools(TimeProvider time)
{
    public const string GetWeather = "get_weather";
    public const string ConvertTemperature = "convert_temperature";
    public const string GetLocalTime = "get_local_time";

    private static readonly Dictionary<string, (double TemperatureC, string Conditions, int Humidity, TimeSpan UtcOffset)> Cities =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["Paris"] = (18.5, "light rain", 82, TimeSpan.FromHours(2)),
            ["Tokyo"] = (24.0, "clear skies", 55, TimeSpan.FromHours(9)),
            ["Oslo"] = (9.5, "showers", 88, TimeSpan.FromHours(2)),
            ["New York"] = (21.0, "partly cloudy", 60, TimeSpan.FromHours(-4)),
            ["Sydney"] = (14.0, "windy", 48, TimeSpan.FromHours(10)),
        };

    /// <summary>The cities the tools know, in a stable order.</summary>
    public static IReadOnlyList<string> KnownCities { get; } = [.. Cities.Keys];

    /// <summary>The tools as AIFunctions, named as the model sees them.</summary>
    public IList<AITool> AsTools() =>
    [
        AIFunctionFactory.Create(Weather, GetWeather, "Current weather for a city: temperature in Celsius, conditions and humidity."),
        AIFunctionFactory.Create(Convert, ConvertTemperature, "Converts a temperature from Celsius to Fahrenheit."),
        AIFunctionFactory.Create(Time, GetLocalTime, "The current local time in a city."),
    ];

    private static WeatherReport Weather([Description("The city name, e.g. Paris.")] string city) =>
        Cities.TryGetValue(city, out var w)
            ? new WeatherReport(Canonical(city), w.TemperatureC, w.Conditions, w.Humidity)
            : throw new ArgumentException($"No weather station for '{city}'. Known: {string.Join(", ", KnownCities)}.", nameof(city));

    private static Temperature Convert([Description("The temperature in degrees Celsius.")] double celsius) =>
        new(celsius, Math.Round((celsius * 9 / 5) + 32, 1));

    private LocalTime Time([Description("The city name, e.g. Tokyo.")] string city)
    {
        if (!Cities.TryGetValue(city, out var c))
        {
            throw new ArgumentException($"No time zone for '{city}'. Known: {string.Join(", ", KnownCities)}.", nameof(city));
        }

        var local = time.GetUtcNow().ToOffset(c.UtcOffset);
        var offset = (c.UtcOffset < TimeSpan.Zero ? "-" : "+") + c.UtcOffset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
        return new LocalTime(Canonical(city), local.ToString("HH:mm", CultureInfo.InvariantCulture), offset);
    }

    private static string Canonical(string city) => KnownCities.First(k => string.Equals(k, city, StringComparison.OrdinalIgnoreCase));
}
