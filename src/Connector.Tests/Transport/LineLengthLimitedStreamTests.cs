using System.Text;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Transport;

/// <summary>The HTTP transport's guard against an unbounded SSE line, fed in chunks as a socket would deliver them.</summary>
public class LineLengthLimitedStreamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(4096)]
    public async Task Lines_within_the_limit_pass_whatever_the_chunking(int chunk)
    {
        var text = "event: a\ndata: " + new string('x', 80) + "\r\n\r\ndata: " + new string('y', 90) + "\r\rdata: z\n\n";
        (await ReadAllAsync(text, limit: 100, chunk)).Should().Be(text);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(4096)]
    public async Task A_line_past_the_limit_fails_as_a_protocol_violation_whatever_the_chunking(int chunk)
    {
        var text = "data: short\n\ndata: " + new string('x', 200) + "\n\ndata: after\n\n";

        var act = () => ReadAllAsync(text, limit: 100, chunk);

        (await act.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.ProtocolViolation);
    }

    [Fact]
    public async Task An_endless_line_fails_before_it_is_all_read()
    {
        var endless = new ChunkedStream(Encoding.UTF8.GetBytes("data: " + new string('x', 1_000_000)), 1024);
        await using var limited = new LineLengthLimitedStream(endless, 4096);
        var buffer = new byte[1024];

        var act = async () => { while (await limited.ReadAsync(buffer) > 0) { } };

        await act.Should().ThrowAsync<ResponsesException>();
        endless.Position.Should().BeLessThan(8192, "the read stops once the line is past the limit, not at its end");
    }

    private static async Task<string> ReadAllAsync(string text, int limit, int chunk)
    {
        await using var limited = new LineLengthLimitedStream(new ChunkedStream(Encoding.UTF8.GetBytes(text), chunk), limit);
        using var copy = new MemoryStream();
        await limited.CopyToAsync(copy);
        return Encoding.UTF8.GetString(copy.ToArray());
    }

    /// <summary>A memory stream that hands out at most <c>chunk</c> bytes per read, as a network stream may.</summary>
    private sealed class ChunkedStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
