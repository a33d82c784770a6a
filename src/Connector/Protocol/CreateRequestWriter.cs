using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ResponsesWebSocket.Protocol;

/// <summary>
/// Writes a <see cref="CreateRequest"/> as one flat, compact JSON object: a WebSocket <c>response.create</c> frame or an
/// HTTP <c>POST /v1/responses</c> body.
/// </summary>
/// <remarks>
/// Pre-serialized fragments (input items, tools, tool choice, reasoning, text) are copied raw without re-validation:
/// they were produced by our own writers or received from the server, and re-parsing them on every turn is exactly the
/// per-request cost this library exists to avoid.
/// </remarks>
internal static class CreateRequestWriter
{
    /// <summary>
    /// The writer options every request fragment is produced with. Compact (the official client sends indented JSON inside
    /// strings and bodies, which wastes bytes and changes what the model sees), and with relaxed escaping so non-ASCII text
    /// goes out as UTF-8 rather than <c>\uXXXX</c> escapes; the payload is never embedded in HTML, so the HTML-safe
    /// escaping of the default encoder buys nothing.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Top-level fields the request writes itself or must never carry (transport envelope fields, <c>background</c>).
    /// An <see cref="CreateRequest.Extra"/> entry with one of these names is skipped, so an escape hatch can neither
    /// duplicate a field (the service rejects duplicate keys) nor smuggle <c>stream</c> or <c>background</c> onto the socket.
    /// </summary>
    private static readonly HashSet<string> ReservedKeys = new(StringComparer.Ordinal)
    {
        "type", "stream", "stream_options", "background", "generate", "stream_id", "input", "model", "store",
        "previous_response_id", "conversation", "instructions", "tools", "tool_choice", "reasoning", "text",
        "temperature", "top_p", "max_output_tokens", "parallel_tool_calls",
    };

    /// <summary>Where the cached writer points between uses; never written to, because every use starts with a Reset.</summary>
    private static readonly ArrayBufferWriter<byte> ParkedOutput = new(1);

    [ThreadStatic]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "t_ marks a thread-static field, as in the runtime's own code.")]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes <paramref name="request"/> for <paramref name="transport"/> into <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, CreateRequest request, RequestTransport transport)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(request);

        // One writer per thread, re-pointed at each output: a frame is written on every turn, and the writer is the only
        // allocation here that does not depend on the request. Writing is synchronous, so the writer never crosses threads.
        Utf8JsonWriter? writer = t_writer;
        if (writer is null)
        {
            writer = t_writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            writer.Reset(output);
        }

        try
        {
            Write(writer, request, transport);
            writer.Flush();
        }
        finally
        {
            // Drop the reference to the caller's buffer (and any half-written state after a failure).
            writer.Reset(ParkedOutput);
        }
    }

    [ThreadStatic]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "t_ marks a thread-static field, as in the runtime's own code.")]
    private static ReusableJsonBuffer? t_frame;

    /// <summary>Writes <paramref name="request"/> for <paramref name="transport"/> into a new, exactly sized array.</summary>
    /// <remarks>
    /// The frame is written into the thread's reused buffer, which has already grown to the size of earlier frames, and
    /// copied out once: one allocation the size of the frame, instead of a fresh buffer doubling its way up plus the copy.
    /// </remarks>
    public static byte[] WriteToArray(CreateRequest request, RequestTransport transport) =>
        WriteThen(request, transport, static written => written.ToArray());

    /// <summary>
    /// Writes <paramref name="request"/> for <paramref name="transport"/> into an array rented from the shared pool (a frame
    /// to send and give back; no allocation once the pool holds arrays of its size).
    /// </summary>
    public static RentedFrame WriteRented(CreateRequest request, RequestTransport transport) =>
        WriteThen(request, transport, static written =>
        {
            var array = ArrayPool<byte>.Shared.Rent(written.Length);
            written.CopyTo(array);
            return new RentedFrame(array, written.Length);
        });

    /// <summary>Gets the size <paramref name="request"/> would have as a frame, without keeping its bytes.</summary>
    public static int MeasureLength(CreateRequest request, RequestTransport transport) =>
        WriteThen(request, transport, static written => written.Length);

    private delegate T WrittenFrame<T>(ReadOnlySpan<byte> written);

    /// <summary>Writes the frame into the thread's reused buffer and hands its bytes to <paramref name="take"/>, which copies what it keeps.</summary>
    private static T WriteThen<T>(CreateRequest request, RequestTransport transport, WrittenFrame<T> take)
    {
        ArgumentNullException.ThrowIfNull(request);
        var frame = ReusableJsonBuffer.Rent(ref t_frame, WriterOptions, initialCapacity: 4096);
        try
        {
            Write(frame.Writer, request, transport);
            frame.Writer.Flush();
            return take(frame.WrittenSpan);
        }
        finally
        {
            ReusableJsonBuffer.Return(ref t_frame, frame);
        }
    }

    private static void Write(Utf8JsonWriter writer, CreateRequest request, RequestTransport transport)
    {
        writer.WriteStartObject();

        if (transport == RequestTransport.WebSocket)
        {
            // The server dispatches on "type"; keeping it first lets it (and our own tests and logs) see it without scanning.
            writer.WriteString("type"u8, "response.create"u8);
        }
        else
        {
            // Over WebSocket streaming is implicit and "stream" must not be sent; over HTTP it must be asked for.
            writer.WriteBoolean("stream"u8, true);
        }

        writer.WriteString("model"u8, request.Model);

        // Always explicit: the service defaults to true, and the connection-local cache behaves differently per value.
        writer.WriteBoolean("store"u8, request.Store);

        if (transport == RequestTransport.WebSocket && request.Generate == false)
        {
            // Only the warmup value is ever written; "generate":true is the default and HTTP rejects the field outright.
            writer.WriteBoolean("generate"u8, false);
        }

        if (request.Instructions is not null)
        {
            writer.WriteString("instructions"u8, request.Instructions);
        }

        if (request.PreviousResponseId is not null)
        {
            writer.WriteString("previous_response_id"u8, request.PreviousResponseId);
        }

        if (request.Conversation is not null)
        {
            // The string form is accepted everywhere the object form is and is shorter.
            writer.WriteString("conversation"u8, request.Conversation);
        }

        writer.WritePropertyName("input"u8);
        writer.WriteStartArray();
        foreach (InputItem item in request.Input)
        {
            writer.WriteRawValue(item.Json, skipInputValidation: true);
        }

        writer.WriteEndArray();

        if (request.Temperature is float temperature)
        {
            writer.WriteNumber("temperature"u8, ToShortestDouble(temperature));
        }

        if (request.TopP is float topP)
        {
            writer.WriteNumber("top_p"u8, ToShortestDouble(topP));
        }

        if (request.MaxOutputTokens is int maxOutputTokens)
        {
            writer.WriteNumber("max_output_tokens"u8, maxOutputTokens);
        }

        if (request.ParallelToolCalls is bool parallelToolCalls)
        {
            writer.WriteBoolean("parallel_tool_calls"u8, parallelToolCalls);
        }

        if (request.Tools.Count > 0)
        {
            writer.WritePropertyName("tools"u8);
            writer.WriteStartArray();
            foreach (byte[] tool in request.Tools)
            {
                writer.WriteRawValue(tool, skipInputValidation: true);
            }

            writer.WriteEndArray();
        }

        WriteRaw(writer, "tool_choice"u8, request.ToolChoiceJson);
        WriteRaw(writer, "reasoning"u8, request.ReasoningJson);
        WriteRaw(writer, "text"u8, request.TextJson);

        if (request.Extra.Count > 0 || request.IncludeEncryptedReasoning)
        {
            WriteExtra(writer, request.Extra, request.IncludeEncryptedReasoning);
        }

        writer.WriteEndObject();
    }

    private static void WriteRaw(Utf8JsonWriter writer, ReadOnlySpan<byte> name, byte[]? json)
    {
        if (json is not null)
        {
            writer.WritePropertyName(name);
            writer.WriteRawValue(json, skipInputValidation: true);
        }
    }

    private static void WriteExtra(Utf8JsonWriter writer, List<KeyValuePair<string, JsonElement>> extra, bool includeEncryptedReasoning)
    {
        HashSet<string>? written = null;
        var includeWritten = false;
        foreach (KeyValuePair<string, JsonElement> entry in extra)
        {
            // First entry wins; a repeated key would make the service reject the whole request.
            if (ReservedKeys.Contains(entry.Key) || !(written ??= new(StringComparer.Ordinal)).Add(entry.Key))
            {
                continue;
            }

            if (entry.Value.ValueKind == JsonValueKind.Undefined)
            {
                continue;
            }

            if (includeEncryptedReasoning && entry.Key == "include")
            {
                WriteInclude(writer, entry.Value);
                includeWritten = true;
                continue;
            }

            writer.WritePropertyName(entry.Key);
            entry.Value.WriteTo(writer);
        }

        if (includeEncryptedReasoning && !includeWritten)
        {
            WriteInclude(writer, default);
        }
    }

    /// <summary>Writes the caller's include list (an array or a single string) plus <c>reasoning.encrypted_content</c>, without duplicates.</summary>
    private static void WriteInclude(Utf8JsonWriter writer, JsonElement callerInclude)
    {
        writer.WritePropertyName("include"u8);
        writer.WriteStartArray();
        if (callerInclude.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement entry in callerInclude.EnumerateArray())
            {
                entry.WriteTo(writer);
            }
        }
        else if (callerInclude.ValueKind == JsonValueKind.String)
        {
            callerInclude.WriteTo(writer);
        }

        if (!IncludesEncryptedReasoning(callerInclude))
        {
            writer.WriteStringValue(EncryptedReasoningInclude);
        }

        writer.WriteEndArray();
    }

    /// <summary>The <c>include</c> entry that asks for reasoning items' encrypted content.</summary>
    public const string EncryptedReasoningInclude = "reasoning.encrypted_content";

    /// <summary>Tells whether an include value (an array or a single string) already asks for encrypted reasoning.</summary>
    public static bool IncludesEncryptedReasoning(JsonElement include)
    {
        if (include.ValueKind == JsonValueKind.String) return include.ValueEquals(EncryptedReasoningInclude);
        if (include.ValueKind != JsonValueKind.Array) return false;
        foreach (JsonElement entry in include.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.String && entry.ValueEquals(EncryptedReasoningInclude)) return true;
        }

        return false;
    }

    /// <summary>
    /// Widens a float without exposing binary noise: <c>(double)0.7f</c> is 0.699999988079071, which is what the wire would
    /// carry. The shortest round-trip string of the float, parsed as a double, is the value the caller wrote.
    /// </summary>
    internal static double ToShortestDouble(float value) =>
        double.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
}
