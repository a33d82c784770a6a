using System.Buffers;
using System.Text.Json;

namespace ResponsesWebSocket.Protocol;

/// <summary>
/// A growable output buffer and a compact <see cref="Utf8JsonWriter"/> over it, kept per thread between uses so that the
/// per-turn JSON work (request frames, input items, fingerprints) stops re-growing a fresh buffer every time.
/// </summary>
/// <remarks>
/// <para>Why: <see cref="Utf8JsonWriter"/> asks its buffer for room for the worst-case escaping of a string (six bytes per
/// character), so writing one 4 KB tool result into a new <see cref="ArrayBufferWriter{T}"/> grows it through 256 B … 32 KB
/// before the bytes are copied out once more; a frame writer did the same again. A reused buffer has grown once.</para>
/// <para>Use: <see cref="Rent"/> takes the calling thread's cached instance (or makes one), <see cref="Return"/> puts it
/// back. Taking it out of the slot means a nested use on the same thread gets its own instance instead of overwriting
/// the outer one's bytes. A buffer that grew past <see cref="MaxRetainedBytes"/> (a large full resend, a tool result
/// past about 10 KB) is dropped rather than kept for the thread's life: five use sites on every thread-pool thread that
/// ever wrote a request must not pin megabytes. Callers copy what they keep (<see cref="ToArray"/>) before returning it.</para>
/// </remarks>
internal sealed class ReusableJsonBuffer
{
    /// <summary>The largest buffer a thread keeps between uses.</summary>
    public const int MaxRetainedBytes = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _buffer;

    private ReusableJsonBuffer(int initialCapacity, JsonWriterOptions options)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
        Writer = new Utf8JsonWriter(_buffer, options);
        Options = options;
    }

    /// <summary>Gets the writer, reset to an empty buffer by <see cref="Rent"/>.</summary>
    public Utf8JsonWriter Writer { get; }

    /// <summary>Gets the options the writer was made with (a cached instance is only reused for the same options).</summary>
    public JsonWriterOptions Options { get; }

    /// <summary>Gets the bytes written so far (after <see cref="Utf8JsonWriter.Flush"/>).</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    /// <summary>Gets the buffer's capacity (for tests and the retention cap).</summary>
    public int Capacity => _buffer.Capacity;

    /// <summary>Takes the cached instance out of <paramref name="slot"/> (or makes one), empty and ready to write.</summary>
    /// <param name="slot">A <see langword="[ThreadStatic]"/> field owned by one use site.</param>
    /// <param name="options">The writer options.</param>
    /// <param name="initialCapacity">The capacity of a new buffer.</param>
    public static ReusableJsonBuffer Rent(ref ReusableJsonBuffer? slot, JsonWriterOptions options, int initialCapacity = 1024)
    {
        var rented = slot;
        slot = null;
        if (rented is null || !SameOptions(rented.Options, options)) return new ReusableJsonBuffer(initialCapacity, options);
        rented.Reset();
        return rented;
    }

    /// <summary>Puts an instance back into <paramref name="slot"/> unless it grew too large.</summary>
    public static void Return(ref ReusableJsonBuffer? slot, ReusableJsonBuffer buffer)
    {
        // Drop any half-written state (after an exception) now rather than at the next rent.
        buffer.Reset();
        if (buffer._buffer.Capacity <= MaxRetainedBytes) slot = buffer;
    }

    /// <summary>Discards everything written: the buffer and the writer start over.</summary>
    public void Reset()
    {
        _buffer.ResetWrittenCount();
        Writer.Reset(_buffer);
    }

    /// <summary>Flushes the writer and returns an exact-size copy of the bytes written.</summary>
    public byte[] ToArray()
    {
        Writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    private static bool SameOptions(JsonWriterOptions a, JsonWriterOptions b) =>
        a.Indented == b.Indented && ReferenceEquals(a.Encoder, b.Encoder) && a.SkipValidation == b.SkipValidation && a.MaxDepth == b.MaxDepth;
}
