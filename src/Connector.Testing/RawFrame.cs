using System.Text;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// One message of a raw reply (<see cref="ScriptedReply.FromRawFrames"/>), sent exactly as given: a WebSocket text or
/// binary message, or over SSE one event whose <c>data:</c> is the frame.
/// </summary>
public sealed class RawFrame
{
    private readonly byte[] _bytes;

    private RawFrame(byte[] bytes, bool isBinary)
    {
        _bytes = bytes;
        IsBinary = isBinary;
    }

    /// <summary>The bytes sent on the wire.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Whether this is a binary WebSocket message (skipped over SSE, which has no binary framing).</summary>
    public bool IsBinary { get; }

    /// <summary>A text message carrying <paramref name="text"/> encoded as UTF-8; it need not be JSON.</summary>
    /// <param name="text">The message text.</param>
    /// <returns>The frame.</returns>
    public static RawFrame Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new RawFrame(Encoding.UTF8.GetBytes(text), isBinary: false);
    }

    /// <summary>A text message carrying exactly these bytes, which need not be valid UTF-8 (to test a client's decoder).</summary>
    /// <param name="bytes">The payload; copied.</param>
    /// <returns>The frame.</returns>
    public static RawFrame TextBytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), isBinary: false);

    /// <summary>A binary WebSocket message, which the protocol never uses (to test a client's rejection of it).</summary>
    /// <param name="bytes">The payload; copied.</param>
    /// <returns>The frame.</returns>
    public static RawFrame Binary(ReadOnlySpan<byte> bytes) => new(bytes.ToArray(), isBinary: true);

    internal byte[] Payload => _bytes;
}
