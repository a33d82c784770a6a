namespace ResponsesWebSocket.Tests.Transport;

/// <summary>
/// The byte stream under a real client WebSocket, failing the way a TCP connection does when the peer resets it while a
/// frame is being written: the socket gets aborted by its receive side while the write fails with "Broken pipe".
/// Reads wait until the stream is disposed (the abort disposes it), as a silent peer's would.
/// </summary>
internal sealed class BrokenPipeStream : Stream
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets or sets what happens just before a write fails (the test aborts the socket here).</summary>
    public Action? BeforeWriteFails { get; set; }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _disposed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        throw new ObjectDisposedException(nameof(BrokenPipeStream));
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BeforeWriteFails?.Invoke();
        throw new IOException("Broken pipe");
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _disposed.TrySetResult();
        base.Dispose(disposing);
    }
}
