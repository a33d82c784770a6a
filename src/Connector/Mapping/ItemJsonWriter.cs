using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// One reusable compact <see cref="Utf8JsonWriter"/> for building a run of small JSON objects (input items, tools), plus a
/// scratch writer for values that travel as JSON text inside a string (<c>arguments</c>, <c>output</c>).
/// </summary>
/// <remarks>
/// Mapping a history produces many small items; reusing one buffer and one writer across them avoids a writer and a
/// growing buffer per item. Not thread-safe: create one per mapping call.
/// </remarks>
internal sealed class ItemJsonWriter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _writer;
    private ArrayBufferWriter<byte>? _scratchBuffer;
    private Utf8JsonWriter? _scratchWriter;

    public ItemJsonWriter()
    {
        _writer = new Utf8JsonWriter(_buffer, CreateRequestWriter.WriterOptions);
    }

    /// <summary>Starts a new JSON value, discarding whatever was written before.</summary>
    public Utf8JsonWriter Begin()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return _writer;
    }

    /// <summary>Finishes the current value and returns a copy of its bytes.</summary>
    public byte[] End()
    {
        _writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Serializes <paramref name="value"/> with <see cref="AIJsonUtilities.DefaultOptions"/> contracts as compact JSON text.
    /// The span is valid until the next scratch call.
    /// </summary>
    /// <remarks>
    /// The serializer honours the writer's options, not <c>WriteIndented</c> of the serializer options, so writing through our
    /// own compact writer is what keeps the text compact even though the default options are indented.
    /// </remarks>
    public ReadOnlySpan<byte> SerializeToScratch(object? value, Type type)
    {
        Utf8JsonWriter scratch = BeginScratch();
        JsonSerializer.Serialize(scratch, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(type));
        scratch.Flush();
        return _scratchBuffer!.WrittenSpan;
    }

    /// <summary>Writes <paramref name="element"/> as compact JSON text (whatever its original formatting). Valid until the next scratch call.</summary>
    public ReadOnlySpan<byte> WriteToScratch(JsonElement element)
    {
        Utf8JsonWriter scratch = BeginScratch();
        element.WriteTo(scratch);
        scratch.Flush();
        return _scratchBuffer!.WrittenSpan;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _scratchWriter?.Dispose();
    }

    private Utf8JsonWriter BeginScratch()
    {
        if (_scratchWriter is null)
        {
            _scratchBuffer = new ArrayBufferWriter<byte>(256);
            _scratchWriter = new Utf8JsonWriter(_scratchBuffer, CreateRequestWriter.WriterOptions);
        }
        else
        {
            _scratchBuffer!.ResetWrittenCount();
            _scratchWriter.Reset(_scratchBuffer);
        }

        return _scratchWriter;
    }
}
