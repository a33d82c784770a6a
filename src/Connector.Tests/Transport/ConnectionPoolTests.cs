using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Transport;

/// <summary>The pool's hand-out rules, without sockets: who gets a slot, in which order, and what disposal does.</summary>
public class ConnectionPoolTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 8, 0, 0, TimeSpan.Zero);
    private static readonly Func<IResponseChannel, bool> NoChains = static _ => false;

    [Fact]
    public async Task Waiters_take_whichever_slot_frees_first_in_arrival_order()
    {
        var pool = new ConnectionPool(4);
        var held = new List<ConnectionSlot>();
        for (var i = 0; i < 4; i++) held.Add(await pool.AcquireAsync(null, NoChains, CancellationToken.None));
        held.Select(s => s.Index).Should().OnlyHaveUniqueItems();

        var waiters = Enumerable.Range(0, 6).Select(_ => pool.AcquireAsync(null, NoChains, CancellationToken.None).AsTask()).ToList();
        pool.WaiterCount.Should().Be(6);
        waiters.Should().OnlyContain(w => !w.IsCompleted);

        // Slots 0, 1 and 3 free while slot 2 stays busy: the first three waiters get exactly those, in order.
        pool.Release(held[0], Now);
        pool.Release(held[1], Now);
        pool.Release(held[3], Now);

        (await waiters[0].WaitAsync(Bound)).Should().BeSameAs(held[0]);
        (await waiters[1].WaitAsync(Bound)).Should().BeSameAs(held[1]);
        (await waiters[2].WaitAsync(Bound)).Should().BeSameAs(held[3]);
        waiters.Skip(3).Should().OnlyContain(w => !w.IsCompleted, "nobody queues behind the one busy slot while others free");

        pool.Release(held[2], Now);
        (await waiters[3].WaitAsync(Bound)).Should().BeSameAs(held[2]);
    }

    [Fact]
    public async Task A_chained_turn_takes_its_own_free_slot_and_otherwise_queues_for_any()
    {
        var pool = new ConnectionPool(2);
        var first = await pool.AcquireAsync(null, NoChains, CancellationToken.None);
        var second = await pool.AcquireAsync(null, NoChains, CancellationToken.None);
        first.Channel = new AnchorChannel("resp_first");
        second.Channel = new AnchorChannel("resp_second");
        pool.Release(second, Now);

        (await pool.AcquireAsync("resp_second", NoChains, CancellationToken.None)).Should().BeSameAs(second);

        // Its own slot (first) is busy with another response: it takes whichever frees first.
        var chained = pool.AcquireAsync("resp_first", NoChains, CancellationToken.None).AsTask();
        chained.IsCompleted.Should().BeFalse();
        pool.Release(second, Now);
        (await chained.WaitAsync(Bound)).Should().BeSameAs(second);
    }

    [Fact]
    public async Task A_free_slot_never_overtakes_a_queued_waiter()
    {
        var pool = new ConnectionPool(1);
        var slot = await pool.AcquireAsync(null, NoChains, CancellationToken.None);
        slot.Channel = new AnchorChannel("resp_slot");
        var waiter = pool.AcquireAsync(null, NoChains, CancellationToken.None).AsTask();

        pool.Release(slot, Now);
        var late = pool.AcquireAsync("resp_slot", NoChains, CancellationToken.None).AsTask();

        (await waiter.WaitAsync(Bound)).Should().BeSameAs(slot);
        late.IsCompleted.Should().BeFalse("the slot went to the waiter without ever looking free");
        pool.Release(slot, Now);
        (await late.WaitAsync(Bound)).Should().BeSameAs(slot);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue()
    {
        var pool = new ConnectionPool(1);
        var slot = await pool.AcquireAsync(null, NoChains, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = pool.AcquireAsync(null, NoChains, cancel.Token).AsTask();
        var next = pool.AcquireAsync(null, NoChains, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => cancelled.WaitAsync(Bound)).Should().ThrowAsync<OperationCanceledException>();
        pool.WaiterCount.Should().Be(1);

        pool.Release(slot, Now);
        (await next.WaitAsync(Bound)).Should().BeSameAs(slot);
    }

    [Fact]
    public async Task Disposal_fails_queued_waiters_and_refuses_new_callers()
    {
        var pool = new ConnectionPool(1);
        var slot = await pool.AcquireAsync(null, NoChains, CancellationToken.None);
        var waiter = pool.AcquireAsync(null, NoChains, CancellationToken.None).AsTask();

        pool.Dispose();

        await FluentActions.Awaiting(() => waiter.WaitAsync(Bound)).Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(() => pool.AcquireAsync(null, NoChains, CancellationToken.None).AsTask()).Should().ThrowAsync<ObjectDisposedException>();
        pool.Release(slot, Now);
        pool.WaiterCount.Should().Be(0);
    }

    /// <summary>A channel that only says which response its cache holds: all the pool reads of a channel.</summary>
    private sealed class AnchorChannel(string cachedResponseId) : IResponseChannel
    {
        public long Id => 0;

        public ResponsesWebSocket.Protocol.RequestTransport Transport => ResponsesWebSocket.Protocol.RequestTransport.WebSocket;

        public DateTimeOffset OpenedAt => DateTimeOffset.UnixEpoch;

        public bool IsOpen => true;

        public bool IsUsable => true;

        public string? CachedResponseId => cachedResponseId;

        public ValueTask<ResponseTurn> SendAsync(ReadOnlyMemory<byte> request, bool keepRawEvents, CancellationToken cancellationToken) => throw new NotSupportedException();

        public void Abandon() { }

        public void Retire() { }

        public void Release(ResponseTurn turn) { }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
