using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// Reads the length-prefixed binary format of <see cref="BinarySpanWriter"/> from bytes that may be hostile (a shared cache
/// anyone on the network path or with cache access can write to): every read checks its length against what is left and
/// fails with <see langword="false"/>, never an exception and never an allocation larger than the input.
/// </summary>
internal ref struct BinarySpanReader
{
    private ReadOnlySpan<byte> _rest;

    public BinarySpanReader(ReadOnlySpan<byte> data) => _rest = data;

    /// <summary>Gets how many bytes are left to read.</summary>
    public readonly int Remaining => _rest.Length;

    public bool TryReadByte(out byte value)
    {
        if (_rest.IsEmpty)
        {
            value = 0;
            return false;
        }

        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    /// <summary>Reads a 7-bit encoded length (at most 5 bytes, at most <see cref="int.MaxValue"/>).</summary>
    public bool TryReadLength(out int value)
    {
        value = 0;
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (!TryReadByte(out var b)) return false;
            result |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (result > int.MaxValue || (shift == 28 && b > 0x0F)) return false;
                value = (int)result;
                return true;
            }
        }

        return false;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        if ((uint)count > (uint)_rest.Length)
        {
            value = default;
            return false;
        }

        value = _rest[..count];
        _rest = _rest[count..];
        return true;
    }

    /// <summary>Reads a length-prefixed byte string (see <see cref="BinarySpanWriter.WriteBlob"/>).</summary>
    public bool TryReadBlob(out ReadOnlySpan<byte> value)
    {
        value = default;
        return TryReadLength(out var length) && TryReadBytes(length, out value);
    }

    public bool TryReadUInt128(out UInt128 value)
    {
        if (!TryReadBytes(16, out var bytes))
        {
            value = default;
            return false;
        }

        value = BinaryPrimitives.ReadUInt128LittleEndian(bytes);
        return true;
    }

    /// <summary>Reads a string that may be <see langword="null"/>; fails on invalid UTF-8 rather than replacing it.</summary>
    public bool TryReadNullableString(out string? value)
    {
        value = null;
        if (!TryReadNullableUtf8(out var utf8, out var present)) return false;
        if (present) value = Encoding.UTF8.GetString(utf8);
        return true;
    }

    /// <summary>Reads the valid UTF-8 bytes of a string that may be absent, without decoding them (so known values can be shared).</summary>
    public bool TryReadNullableUtf8(out ReadOnlySpan<byte> utf8, out bool present)
    {
        utf8 = default;
        present = false;
        if (!TryReadLength(out var marker)) return false;
        if (marker == 0) return true;
        present = true;
        return TryReadBytes(marker - 1, out utf8) && Utf8.IsValid(utf8);
    }

    /// <summary>Reads a string that must be present.</summary>
    public bool TryReadString(out string value)
    {
        var ok = TryReadNullableString(out var read);
        value = read ?? string.Empty;
        return ok && read is not null;
    }
}
