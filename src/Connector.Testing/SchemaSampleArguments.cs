using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>Builds deterministic sample arguments from a function's JSON schema, so the default model can call any tool.</summary>
internal static class SchemaSampleArguments
{
    private const int MaxDepth = 8;

    public static string For(JsonElement schema)
    {
        var bytes = JsonBytes.Object(writer => WriteProperties(writer, schema, depth: 0));
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    private static void WriteProperties(System.Text.Json.Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object
            || !schema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in properties.EnumerateObject())
        {
            writer.WritePropertyName(property.Name);
            WriteSample(writer, property.Value, depth + 1);
        }
    }

    private static void WriteSample(System.Text.Json.Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        if (schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("enum", out var values)
            && values.ValueKind == JsonValueKind.Array
            && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(writer);
            return;
        }

        switch (TypeOf(schema))
        {
            case "string":
                writer.WriteStringValue("sample");
                break;
            case "number":
            case "integer":
                writer.WriteNumberValue(1);
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "array":
                writer.WriteStartArray();
                writer.WriteEndArray();
                break;
            case "object" when depth < MaxDepth:
                writer.WriteStartObject();
                WriteProperties(writer, schema, depth);
                writer.WriteEndObject();
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    // "type" may be a list such as ["string","null"]; the first non-null entry decides.
    private static string? TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("type", out var type))
        {
            return schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out _) ? "object" : null;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var entry in type.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.String && entry.GetString() is { } name && name != "null")
                {
                    return name;
                }
            }
        }

        return null;
    }
}
