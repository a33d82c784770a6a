using System.Buffers.Binary;
using System.Text;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// Writes the compact length-prefixed format read back by <see cref="BinarySpanReader"/> into a buffer sized exactly
/// beforehand with the <c>SizeOf…</c> helpers, so an encoded value costs one allocation.
/// </summary>
/// <remarks>
/// Lengths are 7-bit encoded (one byte below 128). A string that may be absent is written as its UTF-8 length plus one,
/// with 0 meaning <see langword="null"/>, so an absent and an empty string stay distinct at the cost of no extra byte.
/// </remarks>
internal ref struct BinarySpanWriter
{
    private readonly Span<byte> _buffer;
    private int _written;

    public BinarySpanWriter(Span<byte> buffer) => _buffer = buffer;

    /// <summary>Gets how many bytes were written.</summary>
    public readonly int Written => _written;

    public static int SizeOfLength(int value)
    {
        var size = 1;
        for (var v = (uint)value; v >= 0x80; v >>= 7) size++;
        return size;
    }

    public static int SizeOfBlob(int length) => SizeOfLength(length) + length;

    public static int SizeOfNullableString(string? value)
    {
        if (value is null) return 1;
        var length = Encoding.UTF8.GetByteCount(value);
        return SizeOfLength(length + 1) + length;
    }

    public void WriteByte(byte value) => _buffer[_written++] = value;

    public void WriteLength(int value)
    {
        var v = (uint)value;
        while (v >= 0x80)
        {
            _buffer[_written++] = (byte)(v | 0x80);
            v >>= 7;
        }

        _buffer[_written++] = (byte)v;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[_written..]);
        _written += value.Length;
    }

    public void WriteBlob(ReadOnlySpan<byte> value)
    {
        WriteLength(value.Length);
        WriteBytes(value);
    }

    public void WriteUInt128(UInt128 value)
    {
        BinaryPrimitives.WriteUInt128LittleEndian(_buffer[_written..], value);
        _written += 16;
    }

    public void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteLength(0);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteLength(length + 1);
        _written += Encoding.UTF8.GetBytes(value, _buffer.Slice(_written, length));
    }
}
