using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ResponsesWebSocket.Protocol;

/// <summary>A 128-bit content hash: the first half of SHA-256, wide enough that two different contents never meet in practice.</summary>
internal static class ContentHash
{
    public static UInt128 Of(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(content, hash);
        return new UInt128(BinaryPrimitives.ReadUInt64LittleEndian(hash), BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]));
    }
}
