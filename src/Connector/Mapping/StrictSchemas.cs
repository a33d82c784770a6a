using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// The strict-mode schema transform (structured outputs / strict function calling), configured the way
/// Microsoft.Extensions.AI.OpenAI configures it, so a strict tool or response format reads exactly as it would through
/// the official client.
/// </summary>
/// <remarks>
/// <para>MEAI's <see cref="AIJsonSchemaTransformCache"/> does the work: every object schema gets
/// <c>additionalProperties: false</c> and all its properties in <c>required</c> (optional parameters become required),
/// boolean schemas become objects, and <c>default</c> moves into the description as <c>"Default value: …"</c>.
/// On top of that, keywords strict mode rejects on some models (<c>minLength</c>, <c>pattern</c>, <c>format</c>,
/// <c>minimum</c>, …) are removed and appended to the description, one <c>"keyword: value"</c> line each, so the constraint
/// still reaches the model as guidance instead of failing the request.</para>
/// <para>The cache holds one transformed schema per declaration or format instance (tools are re-sent on every turn);
/// the source schemas are never modified.</para>
/// </remarks>
internal static class StrictSchemas
{
    // The same list, in the same order, as the official client: the order decides the order of the description lines.
    private static readonly string[] UnsupportedKeywords =
    [
        "contentEncoding", "contentMediaType", "not", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
        "multipleOf", "patternProperties", "minItems", "maxItems", "unevaluatedProperties", "propertyNames", "minProperties",
        "maxProperties", "unevaluatedItems", "contains", "minContains", "maxContains", "uniqueItems",
    ];

    private static readonly AIJsonSchemaTransformCache Cache = new(new AIJsonSchemaTransformOptions
    {
        DisallowAdditionalProperties = true,
        ConvertBooleanSchemas = true,
        MoveDefaultKeywordToDescription = true,
        RequireAllProperties = true,
        TransformSchemaNode = MoveUnsupportedKeywordsToDescription,
    });

    /// <summary>The strict form of a function's parameter schema.</summary>
    public static JsonElement Transform(AIFunctionDeclaration function) => Cache.GetOrCreateTransformedSchema(function);

    /// <summary>The strict form of a response format's schema (<see langword="null"/> when it has none).</summary>
    public static JsonElement? Transform(ChatResponseFormatJson format) => Cache.GetOrCreateTransformedSchema(format);

    private static JsonNode MoveUnsupportedKeywordsToDescription(AIJsonSchemaTransformContext context, JsonNode node)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        StringBuilder? notes = null;
        foreach (string keyword in UnsupportedKeywords)
        {
            if (schema[keyword] is { } value)
            {
                schema.Remove(keyword);
                notes ??= new();
                if (notes.Length > 0)
                {
                    notes.AppendLine();
                }

                // JsonNode.ToString(): a string value bare, anything else as JSON, as the official client writes it.
                notes.Append(keyword).Append(": ").Append(value.ToString());
            }
        }

        if (notes is not null)
        {
            schema["description"] = schema["description"] is JsonValue description && description.GetValueKind() == JsonValueKind.String
                ? description.GetValue<string>() + Environment.NewLine + notes
                : notes.ToString();
        }

        return schema;
    }
}
