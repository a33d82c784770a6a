using System.Buffers;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// Accumulates one incoming WebSocket message, growing by doubling up to a hard limit.
/// </summary>
/// <remarks>
/// It holds no array until a message starts arriving, and <see cref="ReleaseArray"/> gives the array back between
/// messages, so an idle connection holds none (the reader loop releases it when no response is in flight).
/// Arrays up to <see cref="MaxPooledSize"/> come from (and go back to) the array pool; larger ones are plain allocations
/// that are dropped once the message is consumed, so one huge message never parks a huge array in the process-wide
/// shared pool. Sizes are computed in 64 bits and capped by the limit, so growth cannot overflow.
/// </remarks>
internal sealed class ReceiveBuffer : IDisposable
{
    /// <summary>The size of the first array: most events (deltas) fit many times over.</summary>
    internal const int InitialSize = 16 * 1024;

    /// <summary>Arrays above this size are never rented from or returned to the pool.</summary>
    internal const int MaxPooledSize = 1024 * 1024;

    private readonly ArrayPool<byte> _pool;
    private readonly int _maxMessageSize;
    private byte[] _array;

    /// <param name="maxMessageSize">The largest message accepted, in bytes (positive).</param>
    /// <param name="pool">The pool for arrays up to <see cref="MaxPooledSize"/>; the shared pool when null.</param>
    public ReceiveBuffer(int maxMessageSize, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageSize);
        _maxMessageSize = maxMessageSize;
        _pool = pool ?? ArrayPool<byte>.Shared;
        _array = [];
    }

    /// <summary>Gets how many bytes of the current message have been received.</summary>
    public int Length { get; private set; }

    /// <summary>Gets the size of the array in use, 0 when none is held (diagnostics and tests).</summary>
    public int Capacity => _array.Length;

    /// <summary>Gets the bytes of the current message received so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    /// <summary>
    /// Gets room for the next receive, growing the array when it is full. Returns <see langword="false"/> when the message
    /// already holds <c>maxMessageSize</c> bytes and is not finished: it is too large.
    /// </summary>
    public bool TryGetFreeSpace(out Memory<byte> free)
    {
        if (Length >= _maxMessageSize)
        {
            free = default;
            return false;
        }

        if (Length == _array.Length)
        {
            var larger = Acquire(_array.Length == 0 ? Math.Min(InitialSize, _maxMessageSize) : NextSize(_array.Length, _maxMessageSize));
            WrittenSpan.CopyTo(larger);
            Release(_array);
            _array = larger;
        }

        // A pooled array may be larger than asked for; the limit still holds exactly.
        free = _array.AsMemory(Length, Math.Min(_array.Length, _maxMessageSize) - Length);
        return true;
    }

    /// <summary>Records that <paramref name="count"/> bytes were written into the space from <see cref="TryGetFreeSpace"/>.</summary>
    public void Advance(int count) => Length += count;

    /// <summary>Starts the next message; a grown array is given back, so an idle connection holds only a small one.</summary>
    public void Reset()
    {
        Length = 0;
        if (_array.Length > InitialSize)
        {
            var small = Acquire(Math.Min(InitialSize, _maxMessageSize));
            Release(_array);
            _array = small;
        }
    }

    /// <summary>Gives the array back between messages; the next <see cref="TryGetFreeSpace"/> rents one again.</summary>
    /// <exception cref="InvalidOperationException">A message is partly received.</exception>
    public void ReleaseArray()
    {
        if (Length != 0) throw new InvalidOperationException("A message is partly received.");
        Release(_array);
        _array = [];
    }

    /// <summary>Gives the array back.</summary>
    public void Dispose()
    {
        Release(_array);
        _array = [];
        Length = 0;
    }

    /// <summary>Doubles <paramref name="current"/>, capped at <paramref name="max"/>, without overflowing.</summary>
    internal static int NextSize(int current, int max) => (int)Math.Min(Math.Max(current, 1) * 2L, max);

    private byte[] Acquire(int size) => size <= MaxPooledSize ? _pool.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    private void Release(byte[] array)
    {
        if (array.Length is > 0 and <= MaxPooledSize) _pool.Return(array);
    }
}
