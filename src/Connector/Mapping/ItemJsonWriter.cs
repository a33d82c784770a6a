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
/// growing buffer per item, and the buffers themselves are kept per thread between mapping calls. Not thread-safe: create
/// one per mapping call and dispose it.
/// </remarks>
internal sealed class ItemJsonWriter : IDisposable
{
    // Kept per thread between mapping calls (see ReusableJsonBuffer): a 4 KB tool result made a fresh buffer grow to
    // 32 KB on every turn, because the writer reserves worst-case escaping room for each string.
    [ThreadStatic]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "t_ marks a thread-static field, as in the runtime's own code.")]
    private static ReusableJsonBuffer? t_items;

    [ThreadStatic]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "t_ marks a thread-static field, as in the runtime's own code.")]
    private static ReusableJsonBuffer? t_scratch;

    private ReusableJsonBuffer? _items;
    private ReusableJsonBuffer? _scratch;

    public ItemJsonWriter()
    {
        _items = ReusableJsonBuffer.Rent(ref t_items, CreateRequestWriter.WriterOptions, initialCapacity: 512);
    }

    /// <summary>Starts a new JSON value, discarding whatever was written before.</summary>
    public Utf8JsonWriter Begin()
    {
        var items = Items;
        items.Reset();
        return items.Writer;
    }

    /// <summary>Finishes the current value and returns a copy of its bytes.</summary>
    public byte[] End() => Items.ToArray();

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
        var scratch = BeginScratch();
        JsonSerializer.Serialize(scratch.Writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(type));
        scratch.Writer.Flush();
        return scratch.WrittenSpan;
    }

    /// <summary>Writes <paramref name="element"/> as compact JSON text (whatever its original formatting). Valid until the next scratch call.</summary>
    public ReadOnlySpan<byte> WriteToScratch(JsonElement element)
    {
        var scratch = BeginScratch();
        element.WriteTo(scratch.Writer);
        scratch.Writer.Flush();
        return scratch.WrittenSpan;
    }

    /// <summary>Hands the buffers back to the thread for the next mapping call; the writer cannot be used afterwards.</summary>
    public void Dispose()
    {
        if (_items is { } items)
        {
            _items = null;
            ReusableJsonBuffer.Return(ref t_items, items);
        }

        if (_scratch is { } scratch)
        {
            _scratch = null;
            ReusableJsonBuffer.Return(ref t_scratch, scratch);
        }
    }

    private ReusableJsonBuffer Items => _items ?? throw new ObjectDisposedException(nameof(ItemJsonWriter));

    private ReusableJsonBuffer BeginScratch()
    {
        ObjectDisposedException.ThrowIf(_items is null, this);
        if (_scratch is null)
        {
            _scratch = ReusableJsonBuffer.Rent(ref t_scratch, CreateRequestWriter.WriterOptions, initialCapacity: 256);
        }
        else
        {
            _scratch.Reset();
        }

        return _scratch;
    }
}
