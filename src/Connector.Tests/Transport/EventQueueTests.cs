using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Transport;

/// <summary>
/// The per-turn event queue that replaced a Channel: the same ordering, completion, failure and cancellation behaviour,
/// and a reader woken on the thread pool, never inline on the writer's thread.
/// </summary>
public class EventQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Events_are_read_in_order_then_null_after_completion()
    {
        var queue = new EventQueue();
        var events = Enumerable.Range(0, 20).Select(i => new ServerEvent { SequenceNumber = i }).ToList();
        foreach (var evt in events) queue.TryWrite(evt).Should().BeTrue();
        queue.TryComplete().Should().BeTrue();

        foreach (var evt in events) (await queue.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Bound)).Should().BeSameAs(evt);
        (await queue.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Bound)).Should().BeNull();
        (await queue.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Bound)).Should().BeNull("a completed queue stays completed");
    }

    [Fact]
    public async Task A_failure_comes_after_the_events_already_queued_and_later_writes_are_dropped()
    {
        var queue = new EventQueue();
        var first = new ServerEvent();
        queue.TryWrite(first);
        var error = new ResponsesException(ResponsesErrorKind.ConnectionClosed, "gone");
        queue.TryComplete(error).Should().BeTrue();
        queue.TryComplete().Should().BeFalse("only the first completion counts");
        queue.TryWrite(new ServerEvent()).Should().BeFalse();

        (await queue.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Bound)).Should().BeSameAs(first);
        (await FluentActions.Awaiting(() => queue.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Bound)).Should().ThrowAsync<ResponsesException>())
            .Which.Should().BeSameAs(error);
    }

    [Fact]
    public async Task A_waiting_reader_is_woken_by_a_write_and_continues_off_the_writer_thread()
    {
        var queue = new EventQueue();
        ServerEvent? received = null;
        async Task<int> ReadThenReportThread()
        {
            // ConfigureAwait(false): the continuation runs wherever the queue completes the wait.
            received = await queue.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            return Environment.CurrentManagedThreadId;
        }

        var read = ReadThenReportThread();
        read.IsCompleted.Should().BeFalse("nothing was written yet");

        // A dedicated thread writes: the pool never runs work on it, so the reader can only continue there if the write
        // ran its continuation inline (which would run the caller's code on the socket's reader loop).
        var evt = new ServerEvent();
        int writerThread = 0;
        var writer = new Thread(() =>
        {
            writerThread = Environment.CurrentManagedThreadId;
            queue.TryWrite(evt);
        });
        writer.Start();
        writer.Join(Bound).Should().BeTrue();

        (await read.WaitAsync(Bound)).Should().NotBe(writerThread);
        received.Should().BeSameAs(evt);
    }

    [Fact]
    public async Task Cancelling_a_waiting_read_throws_and_the_queue_stays_usable()
    {
        var queue = new EventQueue();
        using var cancel = new CancellationTokenSource();
        var read = queue.ReadAsync(cancel.Token).AsTask();
        read.IsCompleted.Should().BeFalse();

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => read.WaitAsync(Bound)).Should().ThrowAsync<OperationCanceledException>();

        var evt = new ServerEvent();
        queue.TryWrite(evt);
        (await queue.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Bound)).Should().BeSameAs(evt);
    }

    [Fact]
    public async Task A_read_with_a_cancelled_token_throws_even_with_events_queued()
    {
        var queue = new EventQueue();
        var evt = new ServerEvent();
        queue.TryWrite(evt);

        await FluentActions.Awaiting(() => queue.ReadAsync(new CancellationToken(canceled: true)).AsTask().WaitAsync(Bound)).Should().ThrowAsync<OperationCanceledException>();
        (await queue.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Bound)).Should().BeSameAs(evt, "the event is still there");
    }

    [Fact]
    public async Task A_writer_and_a_reader_on_two_threads_lose_nothing_and_keep_the_order()
    {
        var queue = new EventQueue();
        const int Count = 100_000;
        var events = Enumerable.Range(0, Count).Select(i => new ServerEvent { SequenceNumber = i }).ToArray();
        var writer = Task.Run(() =>
        {
            foreach (var evt in events) queue.TryWrite(evt);
            queue.TryComplete();
        });

        var read = 0;
        while (await queue.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Bound) is { } evt)
        {
            evt.SequenceNumber.Should().Be(read);
            read++;
        }

        await writer.WaitAsync(Bound);
        read.Should().Be(Count);
    }

    [Fact]
    public async Task A_timer_failing_the_turn_while_the_reader_writes_completes_the_wait_once()
    {
        // The idle watchdog fails a turn from a timer thread while the reader loop may be writing: whichever comes first
        // wakes the waiting reader, and the reader then sees the events written before the failure, then the failure.
        for (var round = 0; round < 200; round++)
        {
            var queue = new EventQueue();
            var read = queue.ReadAsync(CancellationToken.None).AsTask();
            var error = new ResponsesException(ResponsesErrorKind.ResponseTimeout, "silent");
            var write = Task.Run(() => queue.TryWrite(new ServerEvent()));
            var fail = Task.Run(() => queue.TryComplete(error));
            await Task.WhenAll(write, fail).WaitAsync(Bound);

            var outcome = await FluentActions.Awaiting(async () =>
            {
                var seen = 0;
                if (await read.WaitAsync(Bound) is not null) seen++;
                while (await queue.ReadAsync(CancellationToken.None).AsTask().WaitAsync(Bound) is not null) seen++;
                return seen;
            }).Should().ThrowAsync<ResponsesException>();
            outcome.Which.Should().BeSameAs(error);
        }
    }
}
