using System.Text.Json;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// A hash of the request fields that define a chain: when one of them changes, the turn starts a new chain.
/// </summary>
/// <remarks>
/// Included: model, instructions, store, reasoning, text format, conversation and every escape-hatch field (include,
/// truncation, prompt_cache_key, …). Excluded on purpose: tools, tool_choice and parallel_tool_calls (the service takes
/// them per request, and FunctionInvokingChatClient legitimately changes them inside one loop, e.g. dropping tools on its
/// last iteration) and the per-request sampling knobs (temperature, top_p, max_output_tokens).
/// </remarks>
internal static class RequestFingerprint
{
    // Kept per thread: the fingerprint is computed on every call, and only its hash outlives it.
    [ThreadStatic]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "t_ marks a thread-static field, as in the runtime's own code.")]
    private static ReusableJsonBuffer? t_buffer;

    public static UInt128 Compute(CreateRequest request)
    {
        var buffer = ReusableJsonBuffer.Rent(ref t_buffer, default, initialCapacity: 256);
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            writer.WriteString("model", request.Model);
            writer.WriteString("instructions", request.Instructions);
            writer.WriteBoolean("store", request.Store);
            writer.WriteString("conversation", request.Conversation);
            WriteRaw(writer, "reasoning", request.ReasoningJson);
            WriteRaw(writer, "text", request.TextJson);
            foreach (var (key, value) in request.Extra)
            {
                writer.WritePropertyName(key);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.Flush();
            return ContentHash.Of(buffer.WrittenSpan);
        }
        finally
        {
            ReusableJsonBuffer.Return(ref t_buffer, buffer);
        }
    }

    private static void WriteRaw(Utf8JsonWriter writer, string name, byte[]? json)
    {
        writer.WritePropertyName(name);
        if (json is null) writer.WriteNullValue();
        else writer.WriteRawValue(json, skipInputValidation: true);
    }
}
