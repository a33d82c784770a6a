using System.Buffers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;
using ResponsesWebSocket.Tests.Testing;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Transport;

/// <summary>
/// An idle socket holds no receive buffer: the reader loop gives the array back once a response has ended and no other is
/// in flight, and rents one again when the next message starts (real loopback socket to the local server).
/// </summary>
public class IdleReceiveBufferTests
{
    [Fact]
    public async Task The_receive_buffer_goes_back_to_the_pool_after_each_response_and_is_rented_again_for_the_next()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var pool = new CountingPool();
        var socket = await WireClient.ConnectAsync(server);
        await using var connection = new WebSocketConnection(socket, NullLogger.Instance, TimeProvider.System, Timeout.InfiniteTimeSpan, receivePool: pool);

        for (var turn = 1; turn <= 2; turn++)
        {
            server.Model.Enqueue(ScriptedReply.WithText($"Answer number {turn}, streamed as several deltas."));
            var frame = Encoding.UTF8.GetBytes(WireClient.Create("""{"model":"local-model","store":false,"input":"go"}"""));
            var response = await connection.SendAsync(frame, keepRawEvents: true, CancellationToken.None).AsTask().Bounded();
            while (await response.ReadAsync(CancellationToken.None).AsTask().Bounded() is not null)
            {
            }

            // The loop returns the array right after dispatching the terminal event; wait for that, bounded.
            await pool.AllReturned(turn).Bounded();
            pool.Outstanding.Should().Be(0, "an idle socket holds no receive array");
            connection.Release(response);
        }

        pool.RentCount.Should().Be(2, "one array per response, rented when its first message arrived");
    }

    /// <summary>A real pool that counts arrays out and in, and says when the n-th array is back.</summary>
    private sealed class CountingPool : ArrayPool<byte>
    {
        private readonly ArrayPool<byte> _inner = ArrayPool<byte>.Create();
        private readonly Lock _gate = new();
        private readonly List<(int Count, TaskCompletionSource Signal)> _waiters = [];
        private int _rented;
        private int _returned;

        public int RentCount => Volatile.Read(ref _rented);

        public int Outstanding => Volatile.Read(ref _rented) - Volatile.Read(ref _returned);

        public Task AllReturned(int count)
        {
            lock (_gate)
            {
                if (_returned >= count && _returned == _rented) return Task.CompletedTask;
                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add((count, signal));
                return signal.Task;
            }
        }

        public override byte[] Rent(int minimumLength)
        {
            Interlocked.Increment(ref _rented);
            return _inner.Rent(minimumLength);
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            _inner.Return(array, clearArray);
            lock (_gate)
            {
                _returned++;
                foreach (var waiter in _waiters.Where(w => _returned >= w.Count && _returned == _rented).ToList())
                {
                    waiter.Signal.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }
}
