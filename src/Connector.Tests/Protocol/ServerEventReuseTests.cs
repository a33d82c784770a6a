using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Tests.Support;
using ResponsesWebSocket.Transport;

namespace ResponsesWebSocket.Tests.Protocol;

/// <summary>
/// A consumed event is handed back to the reader and parsed into again: a reused instance must read exactly like a new one,
/// and a delta parsed into it must cost its string and no event object.
/// </summary>
public class ServerEventReuseTests
{
    private static readonly byte[][] Events =
    [
        """{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","created_at":1700000000,"model":"m","status":"in_progress","usage":{"input_tokens":3}}}"""u8.ToArray(),
        """{"type":"response.output_item.done","output_index":2,"sequence_number":7,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"f","arguments":"{}"}}"""u8.ToArray(),
        """{"type":"response.output_text.annotation.added","item_id":"msg_1","output_index":1,"content_index":3,"annotation":{"type":"url_citation","url":"https://example.com","title":"t"}}"""u8.ToArray(),
        """{"type":"response.refusal.done","item_id":"msg_1","output_index":0,"content_index":0,"refusal":"no"}"""u8.ToArray(),
        """{"type":"error","code":"bad","message":"broken","param":"p","status":400}"""u8.ToArray(),
        """{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":1,"delta":"why","stream_id":"s"}"""u8.ToArray(),
        """{"type":"some.new_event","item_id":"x"}"""u8.ToArray(),
        """{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}"""u8.ToArray(),
    ];

    public static TheoryData<int, int> Pairs()
    {
        var data = new TheoryData<int, int>();
        for (var first = 0; first < Events.Length; first++)
        {
            for (var second = 0; second < Events.Length; second++) data.Add(first, second);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void An_event_parsed_into_a_used_instance_reads_exactly_like_a_new_one(int first, int second)
    {
        var reused = ServerEventParser.Parse(Events[first]);
        var filled = ServerEventParser.Parse(Events[second], reuse: reused);
        var fresh = ServerEventParser.Parse(Events[second]);

        filled.Should().BeSameAs(reused);

        // Every property, found by reflection, so that a field added later and not cleared by Reset fails here.
        foreach (var property in typeof(ServerEvent).GetProperties())
        {
            Describe(property.GetValue(filled)).Should().Be(Describe(property.GetValue(fresh)), $"{property.Name} of event {second} parsed into event {first}'s instance");
        }
    }

    [Fact]
    public void A_text_delta_parsed_into_a_used_instance_allocates_only_its_string()
    {
        var delta = """{"type":"response.output_text.delta","item_id":"msg_0123456789abcdef0123456789abcdef0123456789abcdef","output_index":0,"content_index":0,"delta":"Hello","sequence_number":12}"""u8.ToArray();
        const string ItemId = "msg_0123456789abcdef0123456789abcdef0123456789abcdef";
        var instance = ServerEventParser.Parse(delta, keepRaw: true, ItemId);
        ServerEventParser.Parse(delta, keepRaw: true, ItemId, instance); // JIT the reuse path before measuring.

        var before = GC.GetAllocatedBytesForCurrentThread();
        var evt = ServerEventParser.Parse(delta, keepRaw: true, ItemId, instance);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        evt.Delta.Should().Be("Hello");
        evt.SequenceNumber.Should().Be(12);
        // A five-character string is 32 bytes; a new ServerEvent alone would be 128 more.
        allocated.Should().BeLessThanOrEqualTo(40);
    }

    [Fact]
    public void A_turn_gives_a_recycled_event_to_the_reader_once_and_cleared()
    {
        var turn = new ResponseTurn();
        turn.TakeSpare().Should().BeNull("nothing was consumed yet");

        var consumed = ServerEventParser.Parse(Events[0]);
        consumed.Raw.Should().NotBeNull();
        turn.Recycle(consumed);

        var spare = turn.TakeSpare();
        spare.Should().BeSameAs(consumed);
        spare!.Raw.Should().BeNull("a kept event must not keep the last response's JSON alive");
        spare.Response.Should().BeNull();
        turn.TakeSpare().Should().BeNull("one instance is never handed out twice");
    }

    [Fact]
    public void The_pool_is_shared_by_the_turns_of_one_channel_and_bounded()
    {
        var pool = new ServerEventPool();
        var first = new ResponseTurn(pool);
        var events = Enumerable.Range(0, ServerEventPool.Capacity + 5).Select(_ => new ServerEvent { Delta = "x" }).ToList();
        foreach (var evt in events) first.Recycle(evt);

        pool.Count.Should().Be(ServerEventPool.Capacity, "an idle channel keeps only a few cleared events");
        var next = new ResponseTurn(pool);
        var taken = Enumerable.Range(0, ServerEventPool.Capacity).Select(_ => next.TakeSpare()).ToList();
        taken.Should().OnlyContain(e => e != null && events.Contains(e) && e.Delta == null).And.OnlyHaveUniqueItems();
        next.TakeSpare().Should().BeNull();
    }

    [Fact]
    public async Task A_reader_and_a_consumer_on_two_threads_never_share_an_event()
    {
        // The reader rents on its thread while the consumer returns on another, as over a socket: every event handed out
        // must be one nobody else holds.
        var pool = new ServerEventPool();
        var inUse = new System.Collections.Concurrent.ConcurrentDictionary<ServerEvent, bool>(ReferenceEqualityComparer.Instance);
        using var handOff = new System.Collections.Concurrent.BlockingCollection<ServerEvent>(boundedCapacity: 4);
        var doubleHandOuts = 0;
        var reused = 0;

        var reader = Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                var evt = pool.Rent();
                if (evt is null) evt = new ServerEvent();
                else reused++;
                if (!inUse.TryAdd(evt, true)) Interlocked.Increment(ref doubleHandOuts);
                handOff.Add(evt);
            }

            handOff.CompleteAdding();
        });
        var consumer = Task.Run(() =>
        {
            foreach (var evt in handOff.GetConsumingEnumerable())
            {
                inUse.TryRemove(evt, out _);
                pool.Return(evt);
            }
        });

        await Task.WhenAll(reader, consumer).WaitAsync(TimeSpan.FromSeconds(60));
        doubleHandOuts.Should().Be(0);
        reused.Should().BePositive("returned events are handed out again");
    }

    [Fact]
    public async Task Streamed_updates_keep_their_own_data_while_the_events_behind_them_are_reused()
    {
        // Over a real socket, two calls on one connection (the second parses into the first one's events): every update is
        // collected first and checked afterwards, so an update that still pointed into a reused event (its delta, its raw
        // JSON) would show a later event's data.
        await using var fixture = await ServerFixture.StartAsync();
        fixture.Server.Model.Responder = turn => ResponsesWebSocket.Testing.ScriptedReply.WithText("one two three four five six seven eight nine ten " + turn.LastUserText);
        var client = fixture.CreateClient();

        var first = await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("first"));
        var second = await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("second"));

        foreach (var (updates, word) in new[] { (first, "first"), (second, "second") })
        {
            string.Concat(updates.Select(u => u.Text)).Should().Be("one two three four five six seven eight nine ten " + word);
            var texts = updates.Where(u => u.Contents.OfType<TextContent>().Any()).ToList();
            texts.Should().HaveCountGreaterThan(3, "the answer streams in several deltas");
            texts.Should().OnlyContain(u => u.Contents.Count == 1, "each delta is its own update");
            var raws = updates.Select(u => u.RawRepresentation).OfType<JsonElement>().Select(r => r.GetProperty("type").GetString()).ToList();
            raws.Should().StartWith(["response.created", "response.in_progress"]).And.EndWith("response.completed");
            raws.Should().NotContain("response.output_text.delta", "a text delta carries no raw JSON, so no later event's JSON can show up there");
            updates.Select(u => u.ResponseId).Distinct().Should().ContainSingle();
        }

        first[0].ResponseId.Should().NotBe(second[0].ResponseId);
        fixture.Server.Requests.Should().HaveCount(2);
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        JsonElement element => "json:" + element.GetRawText(),
        byte[] bytes => "bytes:" + Encoding.UTF8.GetString(bytes),
        string or long or int or bool or Enum => value.GetType().Name + ":" + value,
        _ => JsonSerializer.Serialize(value, value.GetType()),
    };
}
