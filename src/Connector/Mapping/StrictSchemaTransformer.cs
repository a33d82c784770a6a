using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// Rewrites a JSON schema into the subset OpenAI accepts with <c>strict: true</c> (structured outputs / strict function calling).
/// </summary>
/// <remarks>
/// <para>Applied to every schema node reachable through <c>properties</c>, <c>items</c>, <c>prefixItems</c>,
/// <c>anyOf</c>/<c>oneOf</c>/<c>allOf</c>, <c>not</c> and <c>$defs</c>/<c>definitions</c>:</para>
/// <list type="bullet">
/// <item>Object schemas get <c>additionalProperties: false</c>, <c>properties</c> (empty when absent) and every property in
/// <c>required</c>: strict mode demands all three. Optional parameters therefore become required; their default moves into the
/// description so the model can still pick it.</item>
/// <item>Boolean schemas become objects: <c>true</c> → <c>{}</c>, <c>false</c> → <c>{"not":{}}</c>.</item>
/// <item><c>default</c> and validation keywords strict mode rejects on some models (<c>minLength</c>, <c>pattern</c>,
/// <c>format</c>, <c>minimum</c>, …) are removed and appended to the description as <c>"Text (minLength: 3, pattern: ^a)"</c>,
/// so the constraint still reaches the model as guidance instead of failing the request. String values are written bare,
/// except <c>default</c>, which keeps its JSON form so <c>"5"</c> and <c>5</c> stay distinguishable.</item>
/// </list>
/// <para>The input is never modified; callers cache the result because tools are re-sent on every turn.</para>
/// </remarks>
internal static class StrictSchemaTransformer
{
    private static readonly HashSet<string> MovedKeywords = new(StringComparer.Ordinal)
    {
        "default", "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "patternProperties",
        "propertyNames", "contentEncoding", "contentMediaType",
    };

    private static readonly string[] SchemaMapKeywords = ["properties", "$defs", "definitions"];

    private static readonly string[] SchemaArrayKeywords = ["anyOf", "oneOf", "allOf", "prefixItems"];

    /// <summary>Returns a strict-mode version of <paramref name="schema"/> as a new node tree.</summary>
    public static JsonNode Transform(JsonElement schema) => Transform(ToNode(schema));

    /// <summary>Transforms <paramref name="node"/> in place and returns it, or returns its replacement for a boolean schema.</summary>
    public static JsonNode Transform(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return new JsonObject();

            case JsonObject schema:
                TransformObject(schema);
                return schema;

            case JsonValue value when value.GetValueKind() == JsonValueKind.True:
                return new JsonObject();

            case JsonValue value when value.GetValueKind() == JsonValueKind.False:
                return new JsonObject { ["not"] = new JsonObject() };

            default:
                return node;
        }
    }

    /// <summary>A mutable copy of <paramref name="element"/> (<see langword="null"/> for an undefined element).</summary>
    internal static JsonNode? ToNode(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText());

    private static void TransformObject(JsonObject schema)
    {
        foreach (string keyword in SchemaMapKeywords)
        {
            if (schema[keyword] is JsonObject map)
            {
                foreach (string name in map.Select(static p => p.Key).ToList())
                {
                    Replace(map, name, map[name]);
                }
            }
        }

        foreach (string keyword in SchemaArrayKeywords)
        {
            if (schema[keyword] is JsonArray array)
            {
                TransformArray(array);
            }
        }

        switch (schema["items"])
        {
            case JsonArray tuple:
                TransformArray(tuple);
                break;
            case JsonNode items:
                Replace(schema, "items", items);
                break;
        }

        if (schema["not"] is JsonNode not)
        {
            Replace(schema, "not", not);
        }

        MoveKeywordsToDescription(schema);

        if (IsObjectSchema(schema))
        {
            if (schema["properties"] is not JsonObject properties)
            {
                properties = [];
                schema["properties"] = properties;
            }

            schema["additionalProperties"] = false;
            JsonArray required = [];
            foreach (KeyValuePair<string, JsonNode?> property in properties)
            {
                required.Add((JsonNode?)JsonValue.Create(property.Key));
            }

            schema["required"] = required;
        }
    }

    private static void TransformArray(JsonArray array)
    {
        for (int i = 0; i < array.Count; i++)
        {
            JsonNode? child = array[i];
            JsonNode transformed = Transform(child);
            if (!ReferenceEquals(child, transformed))
            {
                array[i] = transformed;
            }
        }
    }

    private static void Replace(JsonObject parent, string name, JsonNode? child)
    {
        JsonNode transformed = Transform(child);
        if (!ReferenceEquals(child, transformed))
        {
            parent[name] = transformed;
        }
    }

    private static bool IsObjectSchema(JsonObject schema) =>
        schema["type"] switch
        {
            JsonValue type => type.GetValueKind() == JsonValueKind.String && type.GetValue<string>() == "object",
            JsonArray types => types.Any(static t => t is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "object"),
            _ => schema.ContainsKey("properties"),
        };

    private static void MoveKeywordsToDescription(JsonObject schema)
    {
        List<string>? moved = null;
        foreach (KeyValuePair<string, JsonNode?> entry in schema)
        {
            if (MovedKeywords.Contains(entry.Key))
            {
                (moved ??= []).Add(entry.Key);
            }
        }

        if (moved is null)
        {
            return;
        }

        StringBuilder notes = new();
        foreach (string keyword in moved)
        {
            if (notes.Length > 0)
            {
                notes.Append(", ");
            }

            notes.Append(keyword).Append(": ").Append(FormatValue(keyword, schema[keyword]));
            schema.Remove(keyword);
        }

        schema["description"] = schema["description"] is JsonValue description
            && description.GetValueKind() == JsonValueKind.String
            && description.GetValue<string>() is { Length: > 0 } text
                ? $"{text} ({notes})"
                : notes.ToString();
    }

    private static string FormatValue(string keyword, JsonNode? value)
    {
        if (keyword != "default" && value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            return text.GetValue<string>();
        }

        if (value is null)
        {
            return "null";
        }

        ArrayBufferWriter<byte> buffer = new(64);
        using (Utf8JsonWriter writer = new(buffer, CreateRequestWriter.WriterOptions))
        {
            value.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
