using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>Maps <see cref="ChatOptions"/> (plus the client defaults) to a <see cref="Protocol.CreateRequest"/> without input.</summary>
/// <remarks>
/// <para>Mapped as in the official client (see the project's MEAI integration notes): model, instructions, temperature, top_p,
/// max_output_tokens, reasoning, tools, tool_choice and parallel_tool_calls (only when a tool was written), the response
/// format, and a <c>conv_…</c> <see cref="ChatOptions.ConversationId"/> as <c>conversation</c>. Any other conversation id is
/// the conversation layer's business (chain continuation), not this mapper's.</para>
/// <para>Differences from the official client:</para>
/// <list type="bullet">
/// <item><c>store</c> is always explicit: <c>AdditionalProperties["store"]</c> (bool, JSON bool or "true"/"false"), else
/// <see cref="ResponsesWebSocketChatClientOptions.Store"/>.</item>
/// <item><c>reasoning.encrypted_content</c> is asked for per <see cref="ResponsesWebSocketChatClientOptions.EncryptedReasoning"/>
/// (by default with <c>store</c> false, whether or not <see cref="ChatOptions.Reasoning"/> is set: reasoning models return
/// reasoning items on every turn, and without their encrypted content they could not be replayed on a full resend). It is
/// a flag on the request, merged into <c>include</c> when the frame is written.</item>
/// <item>JSON-schema response formats default to <c>strict: true</c> (the official client omits strict) and their schema is
/// transformed so it is valid in strict mode; <c>AdditionalProperties["strict"] = false</c> opts out.</item>
/// <item>Escape hatches: these <c>AdditionalProperties</c> keys are copied as top-level fields, serialized with
/// <see cref="AIJsonUtilities.DefaultOptions"/>: include, metadata, prompt_cache_key, prompt_cache_retention, service_tier,
/// truncation, safety_identifier, user, max_tool_calls, top_logprobs, context_management, prompt;
/// <c>verbosity</c> becomes <c>text.verbosity</c>. Other keys are ignored: orchestration hosts put many
/// unrelated entries there.</item>
/// </list>
/// <para>Not supported by the Responses API and therefore ignored: <see cref="ChatOptions.TopK"/>, <see cref="ChatOptions.Seed"/>,
/// <see cref="ChatOptions.StopSequences"/>, <see cref="ChatOptions.FrequencyPenalty"/>, <see cref="ChatOptions.PresencePenalty"/>.
/// <see cref="ChatOptions.RawRepresentationFactory"/> is ignored too: there is no SDK options type to produce here. So is
/// <see cref="ChatOptions.AllowBackgroundResponses"/>: <c>background</c> is not supported over WebSocket.</para>
/// </remarks>
internal static class ChatOptionsMapper
{
    /// <summary>AdditionalProperties keys copied verbatim to top-level request fields, in the order they are written.</summary>
    private static readonly string[] PassThroughKeys =
    [
        "include", "metadata", "prompt_cache_key", "prompt_cache_retention", "service_tier", "truncation", "safety_identifier",
        "user", "max_tool_calls", "top_logprobs", "context_management", "prompt",
    ];

    private static readonly byte[] ToolChoiceNone = "\"none\""u8.ToArray();
    private static readonly byte[] ToolChoiceAuto = "\"auto\""u8.ToArray();
    private static readonly byte[] ToolChoiceRequired = "\"required\""u8.ToArray();

    // Response formats are typically static (ChatResponseFormat.ForJsonSchema<T>() stored once) and immutable, and the strict
    // transform is the expensive part, so the written format object is cached per instance.
    private static readonly ConditionalWeakTable<ChatResponseFormatJson, byte[]> StrictFormatCache = [];
    private static readonly ConditionalWeakTable<ChatResponseFormatJson, byte[]> LooseFormatCache = [];

    /// <summary>Creates the request for one turn. <paramref name="options"/> is not modified.</summary>
    /// <exception cref="InvalidOperationException">Neither <see cref="ChatOptions.ModelId"/> nor the client's default model is set.</exception>
    public static CreateRequest CreateRequest(ChatOptions? options, ResponsesWebSocketChatClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);

        string? model = string.IsNullOrWhiteSpace(options?.ModelId) ? clientOptions.Model : options.ModelId;
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new InvalidOperationException("No model: set ResponsesWebSocketChatClientOptions.Model or ChatOptions.ModelId.");
        }

        AdditionalPropertiesDictionary? properties = options?.AdditionalProperties;
        CreateRequest request = new()
        {
            Model = model,
            Store = AdditionalPropertyValues.GetBoolean(properties, "store") ?? clientOptions.Store,
        };
        request.IncludeEncryptedReasoning = clientOptions.EncryptedReasoning switch
        {
            EncryptedReasoningMode.Always => true,
            EncryptedReasoningMode.Never => false,
            _ => !request.Store,
        };

        if (options is null)
        {
            return request;
        }

        request.Instructions = options.Instructions;
        request.Temperature = options.Temperature;
        request.TopP = options.TopP;
        request.MaxOutputTokens = options.MaxOutputTokens;

        if (options.ConversationId is { } conversationId && conversationId.StartsWith("conv_", StringComparison.OrdinalIgnoreCase))
        {
            request.Conversation = conversationId;
        }

        if (options.Reasoning is { } reasoning)
        {
            request.ReasoningJson = WriteReasoning(reasoning);
        }

        bool? strict = AdditionalPropertyValues.GetBoolean(properties, "strict");
        if (options.Tools is { Count: > 0 } tools && ToolMapper.AppendTools(tools, strict ?? false, request.Tools) > 0)
        {
            request.ToolChoiceJson = WriteToolChoice(options.ToolMode);
            request.ParallelToolCalls = options.AllowMultipleToolCalls;
        }

        request.TextJson = WriteText(options.ResponseFormat, strict ?? true, properties);

        AddPassThrough(request, properties);

        return request;
    }

    private static byte[]? WriteReasoning(ReasoningOptions reasoning)
    {
        string? effort = reasoning.Effort switch
        {
            ReasoningEffort.None => "none",
            ReasoningEffort.Low => "low",
            ReasoningEffort.Medium => "medium",
            ReasoningEffort.High => "high",
            ReasoningEffort.ExtraHigh => "xhigh",
            _ => null,
        };

        // ReasoningOutput.None leaves summary unset: the service then returns no summary, which is what None asks for.
        string? summary = reasoning.Output switch
        {
            ReasoningOutput.Summary => "concise",
            ReasoningOutput.Full => "detailed",
            _ => null,
        };

        if (effort is null && summary is null)
        {
            return null;
        }

        return Write(writer =>
        {
            writer.WriteStartObject();
            if (effort is not null)
            {
                writer.WriteString("effort"u8, effort);
            }

            if (summary is not null)
            {
                writer.WriteString("summary"u8, summary);
            }

            writer.WriteEndObject();
        });
    }

    private static byte[]? WriteToolChoice(ChatToolMode? mode) => mode switch
    {
        NoneChatToolMode => ToolChoiceNone,
        AutoChatToolMode => ToolChoiceAuto,
        RequiredChatToolMode { RequiredFunctionName: { } name } => Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteString("name"u8, name);
            writer.WriteEndObject();
        }),
        RequiredChatToolMode => ToolChoiceRequired,
        _ => null,
    };

    private static byte[]? WriteText(ChatResponseFormat? format, bool strict, AdditionalPropertiesDictionary? properties)
    {
        byte[]? formatJson = format switch
        {
            ChatResponseFormatText => """{"type":"text"}"""u8.ToArray(),
            ChatResponseFormatJson { Schema: not null } json => strict
                ? StrictFormatCache.GetValue(json, static f => WriteJsonSchemaFormat(f, strict: true))
                : LooseFormatCache.GetValue(json, static f => WriteJsonSchemaFormat(f, strict: false)),
            ChatResponseFormatJson => """{"type":"json_object"}"""u8.ToArray(),
            _ => null,
        };

        object? verbosity = null;
        bool hasVerbosity = properties?.TryGetValue("verbosity", out verbosity) == true && verbosity is not null;
        if (formatJson is null && !hasVerbosity)
        {
            return null;
        }

        return Write(writer =>
        {
            writer.WriteStartObject();
            if (formatJson is not null)
            {
                writer.WritePropertyName("format"u8);
                writer.WriteRawValue(formatJson, skipInputValidation: true);
            }

            if (hasVerbosity)
            {
                writer.WritePropertyName("verbosity"u8);
                AdditionalPropertyValues.ToJsonElement(verbosity!, "verbosity").WriteTo(writer);
            }

            writer.WriteEndObject();
        });
    }

    private static byte[] WriteJsonSchemaFormat(ChatResponseFormatJson format, bool strict) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "json_schema"u8);
        writer.WriteString("name"u8, format.SchemaName ?? "json_schema");
        if (!string.IsNullOrEmpty(format.SchemaDescription))
        {
            writer.WriteString("description"u8, format.SchemaDescription);
        }

        writer.WritePropertyName("schema"u8);
        JsonElement schema = strict ? StrictSchemas.Transform(format) ?? format.Schema!.Value : format.Schema!.Value;
        schema.WriteTo(writer);

        writer.WriteBoolean("strict"u8, strict);
        writer.WriteEndObject();
    });

    private static void AddPassThrough(CreateRequest request, AdditionalPropertiesDictionary? properties)
    {
        foreach (string key in PassThroughKeys)
        {
            object? value = null;
            if (properties?.TryGetValue(key, out value) == true && value is not null)
            {
                request.Extra.Add(new(key, AdditionalPropertyValues.ToJsonElement(value, key)));
            }
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> buffer = new(128);
        using (Utf8JsonWriter writer = new(buffer, CreateRequestWriter.WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
