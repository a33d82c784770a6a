using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// Lenient readers for <c>AdditionalProperties</c> values. Callers put plain CLR values there, but a dictionary that went
/// through a JSON round trip (persisted chat history, a host's serialized settings) holds <see cref="JsonElement"/>s, and
/// configuration binding produces strings; all three forms mean the same thing.
/// </summary>
internal static class AdditionalPropertyValues
{
    /// <summary>Reads a boolean given as <see cref="bool"/>, a JSON <c>true</c>/<c>false</c>, or the string <c>"true"</c>/<c>"false"</c>.</summary>
    public static bool? GetBoolean(IReadOnlyDictionary<string, object?>? properties, string key)
    {
        if (properties is null || !properties.TryGetValue(key, out object? value))
        {
            return null;
        }

        return value switch
        {
            bool b => b,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            JsonElement { ValueKind: JsonValueKind.False } => false,
            JsonElement { ValueKind: JsonValueKind.String } e => ParseBoolean(e.GetString()),
            string s => ParseBoolean(s),
            _ => null,
        };
    }

    /// <summary>Reads a string given as <see cref="string"/> or as a JSON string.</summary>
    public static string? GetString(IReadOnlyDictionary<string, object?>? properties, string key)
    {
        if (properties is null || !properties.TryGetValue(key, out object? value))
        {
            return null;
        }

        return value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => null,
        };
    }

    /// <summary>
    /// <paramref name="value"/> as a detached <see cref="JsonElement"/>, serialized with <see cref="AIJsonUtilities.DefaultOptions"/>
    /// contracts. A <see cref="JsonElement"/> is cloned so the request does not depend on the lifetime of the caller's document.
    /// </summary>
    /// <exception cref="NotSupportedException">The value's type cannot be serialized; the message names <paramref name="key"/>.</exception>
    public static JsonElement ToJsonElement(object value, string key)
    {
        if (value is JsonElement element)
        {
            return element.Clone();
        }

        try
        {
            return JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
        }
        catch (NotSupportedException ex)
        {
            throw new NotSupportedException(
                $"AdditionalProperties[\"{key}\"] of type {value.GetType()} cannot be serialized to JSON; pass a JsonElement, a string or a JSON-serializable value.",
                ex);
        }
    }

    private static bool? ParseBoolean(string? text) => bool.TryParse(text, out bool result) ? result : null;
}
