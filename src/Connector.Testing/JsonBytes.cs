using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>Small helpers that write one JSON object with <see cref="Utf8JsonWriter"/>.</summary>
internal static class JsonBytes
{
    // Relaxed escaping keeps apostrophes and non-ASCII text readable in recorded frames; this is a loopback test server.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <c>{ … }</c>, with the properties supplied by <paramref name="writeProperties"/>.</summary>
    public static byte[] Object(Action<Utf8JsonWriter> writeProperties) => Value(writer =>
    {
        writer.WriteStartObject();
        writeProperties(writer);
        writer.WriteEndObject();
    });

    /// <summary>Writes the single JSON value supplied by <paramref name="writeValue"/>.</summary>
    public static byte[] Value(Action<Utf8JsonWriter> writeValue)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writeValue(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static JsonElement ToElement(Action<Utf8JsonWriter> writeProperties) => JsonElement.Parse(Object(writeProperties));

    /// <summary>Compacts JSON text; text that is not JSON is returned unchanged, so a script can send deliberately broken arguments.</summary>
    public static string Compact(string json)
    {
        try
        {
            var element = JsonElement.Parse(json);
            var buffer = new ArrayBufferWriter<byte>(json.Length);
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                element.WriteTo(writer);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
