using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>Maps <see cref="AITool"/>s to Responses <c>tools[]</c> entries, each one compact JSON object.</summary>
/// <remarks>
/// <para>Function tools (<see cref="AIFunctionDeclaration"/>) always carry an explicit boolean <c>strict</c> (the official
/// client sends <c>"strict":null</c>). Strict is <c>AdditionalProperties["strict"]</c> of the tool, else of the
/// <see cref="ChatOptions"/>, else <see langword="false"/>; only strict tools get their schema rewritten
/// (<see cref="StrictSchemas"/>). Either way the parameters are normalised as the official client normalises them, so
/// the same tools produce the same schema and descriptions through both clients (compact here, indented there).</para>
/// <para>Function tool JSON is cached per tool instance (one strict and one non-strict variant): the same tools are re-sent
/// on every turn of a tool loop and a declaration's name, description and schema do not change. Hosted tools are mutable
/// (their inputs are settable) and cheap, so they are written every time.</para>
/// <para>Hosted tools map as in the official client: web search, file search (vector stores, <c>max_num_results</c>), code
/// interpreter (automatic container with file ids), image generation and remote MCP servers. For web search, file search and
/// image generation, snake_case wire options placed in the tool's <c>AdditionalProperties</c> (for example
/// <c>search_context_size</c>, <c>ranking_options</c>, <c>quality</c>) are copied as JSON. Any other <see cref="AITool"/>
/// kind has no Responses shape this library knows and is skipped.</para>
/// </remarks>
internal static class ToolMapper
{
    private static readonly ConditionalWeakTable<AITool, byte[]> StrictFunctionCache = [];
    private static readonly ConditionalWeakTable<AITool, byte[]> LooseFunctionCache = [];

    private static readonly string[] WebSearchOptionKeys = ["filters", "search_context_size", "user_location"];
    private static readonly string[] FileSearchOptionKeys = ["filters", "ranking_options"];
    private static readonly string[] ImageGenerationOptionKeys =
    [
        "background", "input_fidelity", "input_image_mask", "model", "moderation", "output_compression", "output_format",
        "partial_images", "quality", "size",
    ];

    /// <summary>Appends the tools that have a Responses shape to <paramref name="destination"/> and returns how many were added.</summary>
    /// <param name="tools">The tools from <see cref="ChatOptions.Tools"/>.</param>
    /// <param name="defaultStrict">Strictness for function tools that do not say (from <c>ChatOptions.AdditionalProperties["strict"]</c>).</param>
    /// <param name="destination">Receives one compact JSON object per tool.</param>
    public static int AppendTools(IList<AITool> tools, bool defaultStrict, List<byte[]> destination)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(destination);

        // By index: the same list comes every turn of a tool loop, and a foreach over the interface boxes its enumerator.
        int added = 0;
        for (int i = 0; i < tools.Count; i++)
        {
            if (tools[i] is { } tool && ToJson(tool, defaultStrict) is { } json)
            {
                destination.Add(json);
                added++;
            }
        }

        return added;
    }

    /// <summary>The tool as compact JSON, or <see langword="null"/> when it has no Responses shape.</summary>
    public static byte[]? ToJson(AITool tool, bool defaultStrict)
    {
        ArgumentNullException.ThrowIfNull(tool);

        if (tool is AIFunctionDeclaration)
        {
            bool strict = AdditionalPropertyValues.GetBoolean(tool.AdditionalProperties, "strict") ?? defaultStrict;
            return strict
                ? StrictFunctionCache.GetValue(tool, static t => WriteFunction((AIFunctionDeclaration)t, strict: true))
                : LooseFunctionCache.GetValue(tool, static t => WriteFunction((AIFunctionDeclaration)t, strict: false));
        }

        return tool switch
        {
            HostedWebSearchTool or HostedFileSearchTool or HostedCodeInterpreterTool or HostedImageGenerationTool or HostedMcpServerTool
                => Write(tool, HostedToolWriter),
            _ => null,
        };
    }

    private static byte[] WriteFunction(AIFunctionDeclaration function, bool strict) =>
        Write(function, (writer, tool) =>
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteString("name"u8, tool.Name);
            if (tool.Description is not null)
            {
                // Written even when empty, as the official client does (a declaration's description defaults to "").
                writer.WriteString("description"u8, tool.Description);
            }

            var declaration = (AIFunctionDeclaration)tool;
            writer.WritePropertyName("parameters"u8);
            WriteParameters(writer, strict ? StrictSchemas.Transform(declaration) : declaration.JsonSchema);
            writer.WriteBoolean("strict"u8, strict);
            writer.WriteEndObject();
        });

    /// <summary>
    /// Writes the parameters in the shape the official client gives every function tool, strict or not: <c>type</c>
    /// (default <c>object</c>), <c>required</c> (default empty, duplicates dropped), <c>properties</c> (default empty),
    /// <c>additionalProperties</c> (default <see langword="false"/>), then the schema's other keywords in their order.
    /// The service requires <c>type</c> and <c>properties</c>, which a hand-written declaration may omit.
    /// </summary>
    private static void WriteParameters(Utf8JsonWriter writer, JsonElement schema)
    {
        bool isObject = schema.ValueKind == JsonValueKind.Object;
        writer.WriteStartObject();

        writer.WritePropertyName("type"u8);
        if (isObject && schema.TryGetProperty("type", out JsonElement type)) type.WriteTo(writer);
        else writer.WriteStringValue("object"u8);

        writer.WritePropertyName("required"u8);
        if (isObject && schema.TryGetProperty("required", out JsonElement required) && required.ValueKind == JsonValueKind.Array)
        {
            HashSet<string> seen = new(StringComparer.Ordinal);
            writer.WriteStartArray();
            foreach (JsonElement name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && seen.Add(name.GetString()!)) name.WriteTo(writer);
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
        }

        writer.WritePropertyName("properties"u8);
        if (isObject && schema.TryGetProperty("properties", out JsonElement properties)) properties.WriteTo(writer);
        else
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        writer.WritePropertyName("additionalProperties"u8);
        if (isObject && schema.TryGetProperty("additionalProperties", out JsonElement additional)) additional.WriteTo(writer);
        else writer.WriteBooleanValue(false);

        if (isObject)
        {
            foreach (JsonProperty property in schema.EnumerateObject())
            {
                if (!IsNormalizedKeyword(property.Name)) property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static bool IsNormalizedKeyword(string name) =>
        name is "type" or "required" or "properties" or "additionalProperties";

    private static void HostedToolWriter(Utf8JsonWriter writer, AITool tool)
    {
        writer.WriteStartObject();
        switch (tool)
        {
            case HostedWebSearchTool:
                writer.WriteString("type"u8, "web_search"u8);
                WriteOptions(writer, tool, WebSearchOptionKeys);
                break;

            case HostedFileSearchTool fileSearch:
                writer.WriteString("type"u8, "file_search"u8);
                writer.WritePropertyName("vector_store_ids"u8);
                writer.WriteStartArray();
                foreach (HostedVectorStoreContent store in fileSearch.Inputs?.OfType<HostedVectorStoreContent>() ?? [])
                {
                    writer.WriteStringValue(store.VectorStoreId);
                }

                writer.WriteEndArray();
                if (fileSearch.MaximumResultCount is int maxResults)
                {
                    writer.WriteNumber("max_num_results"u8, maxResults);
                }

                WriteOptions(writer, tool, FileSearchOptionKeys);
                break;

            case HostedCodeInterpreterTool codeInterpreter:
                writer.WriteString("type"u8, "code_interpreter"u8);
                writer.WritePropertyName("container"u8);
                writer.WriteStartObject();
                writer.WriteString("type"u8, "auto"u8);
                if (codeInterpreter.Inputs?.OfType<HostedFileContent>().ToList() is { Count: > 0 } files)
                {
                    writer.WritePropertyName("file_ids"u8);
                    writer.WriteStartArray();
                    foreach (HostedFileContent file in files)
                    {
                        writer.WriteStringValue(file.FileId);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
                break;

            case HostedImageGenerationTool:
                writer.WriteString("type"u8, "image_generation"u8);
                WriteOptions(writer, tool, ImageGenerationOptionKeys);
                break;

            case HostedMcpServerTool mcp:
                McpToolWriter.Write(writer, mcp);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter writer, AITool tool, string[] keys)
    {
        if (tool.AdditionalProperties is not { Count: > 0 } properties)
        {
            return;
        }

        foreach (string key in keys)
        {
            if (properties.TryGetValue(key, out object? value) && value is not null)
            {
                writer.WritePropertyName(key);
                AdditionalPropertyValues.ToJsonElement(value, key).WriteTo(writer);
            }
        }
    }

    private static byte[] Write(AITool tool, Action<Utf8JsonWriter, AITool> write)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        using (Utf8JsonWriter writer = new(buffer, CreateRequestWriter.WriterOptions))
        {
            write(writer, tool);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
