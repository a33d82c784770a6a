using System.Buffers;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Transport;

/// <summary>The receive buffer: growth without overflow, an exact limit, and big arrays kept out of the shared pool.</summary>
public class ReceiveBufferTests
{
    [Theory]
    [InlineData(16 * 1024, 8 * 1024 * 1024, 32 * 1024)]
    [InlineData(4 * 1024 * 1024, 6 * 1024 * 1024, 6 * 1024 * 1024)]
    [InlineData(1 << 30, int.MaxValue, int.MaxValue)]
    [InlineData(int.MaxValue - 1, int.MaxValue, int.MaxValue)]
    [InlineData(0, 100, 2)]
    public void Growth_doubles_up_to_the_limit_without_overflowing(int current, int max, int expected) =>
        ReceiveBuffer.NextSize(current, max).Should().Be(expected);

    [Fact]
    public void The_limit_is_exact()
    {
        using var buffer = new ReceiveBuffer(40_000);

        Fill(buffer, 40_000).Should().Be(40_000);
        buffer.TryGetFreeSpace(out _).Should().BeFalse("a message that already holds the limit and is not finished is too large");
        buffer.WrittenSpan.Length.Should().Be(40_000);
    }

    [Fact]
    public void Arrays_above_the_pooled_size_never_go_back_to_the_pool()
    {
        var pool = new RecordingPool();
        using (var buffer = new ReceiveBuffer(8 * 1024 * 1024, pool))
        {
            Fill(buffer, 3 * 1024 * 1024);
            buffer.Capacity.Should().BeGreaterThan(ReceiveBuffer.MaxPooledSize);
            buffer.Reset();
            buffer.Capacity.Should().Be(ReceiveBuffer.InitialSize, "an idle connection keeps only a small array");
        }

        pool.Returned.Should().NotBeEmpty().And.OnlyContain(length => length <= ReceiveBuffer.MaxPooledSize);
        pool.Rented.Should().OnlyContain(length => length <= ReceiveBuffer.MaxPooledSize);
    }

    [Fact]
    public void An_array_is_held_only_while_a_message_is_arriving()
    {
        var pool = new RecordingPool();
        using var buffer = new ReceiveBuffer(1024 * 1024, pool);
        buffer.Capacity.Should().Be(0, "nothing is rented before a message starts");
        pool.Rented.Should().BeEmpty();

        Fill(buffer, 100);
        pool.Rented.Should().Equal(ReceiveBuffer.InitialSize);
        FluentActions.Invoking(buffer.ReleaseArray).Should().Throw<InvalidOperationException>("a partly received message keeps its bytes");

        buffer.Reset();
        buffer.ReleaseArray();
        buffer.Capacity.Should().Be(0);
        pool.Returned.Should().Equal(ReceiveBuffer.InitialSize);

        Fill(buffer, 10).Should().Be(10, "the next message rents again");
        pool.Rented.Should().HaveCount(2);
    }

    private static int Fill(ReceiveBuffer buffer, int bytes)
    {
        while (buffer.Length < bytes && buffer.TryGetFreeSpace(out var free))
        {
            var count = Math.Min(free.Length, bytes - buffer.Length);
            free.Span[..count].Fill(0x41);
            buffer.Advance(count);
        }

        return buffer.Length;
    }

    /// <summary>A real pool that records what passes through it.</summary>
    private sealed class RecordingPool : ArrayPool<byte>
    {
        private readonly ArrayPool<byte> _inner = ArrayPool<byte>.Create();

        public List<int> Rented { get; } = [];

        public List<int> Returned { get; } = [];

        public override byte[] Rent(int minimumLength)
        {
            var array = _inner.Rent(minimumLength);
            Rented.Add(array.Length);
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            Returned.Add(array.Length);
            _inner.Return(array, clearArray);
        }
    }
}
