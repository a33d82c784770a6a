using System.Buffers;

namespace ResponsesWebSocket.Protocol;

/// <summary>
/// A request frame in an array rented from the shared pool, given back by <see cref="Dispose"/> once the frame is sent.
/// </summary>
/// <remarks>
/// Safe to give back as soon as the send returns: a client WebSocket copies the payload into its own buffer to mask it
/// before anything goes out, and a resend writes a new frame.
/// </remarks>
internal readonly struct RentedFrame : IDisposable
{
    private readonly byte[] _array;

    public RentedFrame(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    /// <summary>Gets the frame's size in bytes.</summary>
    public int Length { get; }

    /// <summary>Gets the frame's bytes.</summary>
    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    /// <summary>Gives the array back to the pool; the frame must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_array is { Length: > 0 }) ArrayPool<byte>.Shared.Return(_array);
    }
}
