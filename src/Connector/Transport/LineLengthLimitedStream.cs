namespace ResponsesWebSocket.Transport;

/// <summary>
/// A read-only view of an event stream that fails once a single line grows past a limit, while it is being received.
/// </summary>
/// <remarks>
/// <see cref="System.Net.ServerSentEvents.SseParser"/> buffers a line until its end, however long, so a hostile server
/// could make it grow without bound. One SSE <c>data:</c> line carries one event's JSON, so the line limit is the
/// message limit of the WebSocket transport (<see cref="TransportSettings.MaxMessageSize"/>), enforced here as the bytes
/// arrive: a vectorised search for the line ends of each chunk, nothing copied.
/// </remarks>
internal sealed class LineLengthLimitedStream(Stream inner, int maxLineLength) : Stream
{
    private long _currentLine;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Check(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Check(buffer.AsSpan(offset, read));
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void Check(ReadOnlySpan<byte> chunk)
    {
        // SSE lines end in \n, \r\n or \r. The chunk's first line continues the line the last chunk ended in.
        var first = chunk.IndexOfAny((byte)'\n', (byte)'\r');
        if (first < 0)
        {
            _currentLine += chunk.Length;
            if (_currentLine > maxLineLength) Fail();
            return;
        }

        if (_currentLine + first > maxLineLength) Fail();
        var last = chunk.LastIndexOfAny((byte)'\n', (byte)'\r');
        if (last - first - 1 > maxLineLength) CheckEachLine(chunk[(first + 1)..last]);
        _currentLine = chunk.Length - last - 1;
        if (_currentLine > maxLineLength) Fail();
    }

    private void CheckEachLine(ReadOnlySpan<byte> lines)
    {
        while (lines.Length > maxLineLength)
        {
            var end = lines.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0 || end > maxLineLength) Fail();
            lines = lines[(end + 1)..];
        }
    }

    private void Fail() => throw new ResponsesException(ResponsesErrorKind.ProtocolViolation,
        $"The server sent an event line longer than MaxMessageSize ({maxLineLength} bytes).");
}
