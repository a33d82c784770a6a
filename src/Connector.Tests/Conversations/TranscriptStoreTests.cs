using System.Text;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Tests.Support;
using static ResponsesWebSocket.Tests.Conversations.ItemKeyTests;

namespace ResponsesWebSocket.Tests.Conversations;

/// <summary>The transcript store's eviction order and its lazily built content index.</summary>
public class TranscriptStoreTests
{
    private static readonly UInt128 Settings = 7;
    private readonly ManualTimeProvider _clock = new();

    private static InputItem User(string text) =>
        Item(InputItemKind.Message, $$"""{"type":"message","role":"user","content":[{"type":"input_text","text":"{{text}}"}]}""", "user");

    private static InputItem Output(string callId, string output) =>
        Item(InputItemKind.FunctionCallOutput, $$"""{"type":"function_call_output","call_id":"{{callId}}","output":"{{output}}"}""", callId: callId);

    /// <summary>An item whose bytes are not JSON: computing its match key throws, so it shows whether a key was computed.</summary>
    private static InputItem Unreadable(InputItemKind kind, string? callId = null) =>
        new(kind, Encoding.UTF8.GetBytes("{not json"), kind == InputItemKind.Message ? "user" : null, callId);

    private ResponseNode Node(ResponseNode? parent, string responseId, params InputItem[] items) =>
        new(parent, items, responseId, Settings, store: false);

    [Fact]
    public void The_least_recently_used_response_is_evicted_even_when_the_clock_has_not_moved()
    {
        // Two uses within one clock tick: recency, not the timestamp, decides which one goes.
        var store = new TranscriptStore(2, TimeSpan.FromHours(1), _clock);
        store.Add(Node(null, "resp_a", User("a")));
        store.Add(Node(null, "resp_b", User("b")));
        store.Find("", "resp_a").Should().NotBeNull();

        store.Add(Node(null, "resp_c", User("c")));

        store.Contains("resp_b").Should().BeFalse("it was the least recently used");
        store.Contains("resp_a").Should().BeTrue();
        store.Contains("resp_c").Should().BeTrue();
    }

    [Fact]
    public void Eviction_follows_use_order_over_many_responses()
    {
        var store = new TranscriptStore(3, TimeSpan.FromHours(1), _clock);
        for (var i = 0; i < 1000; i++)
        {
            store.Add(Node(null, $"resp_{i}", User($"u{i}")));
            store.Find("", "resp_0").Should().NotBeNull("it is used after every add, so it is never the least recently used");
        }

        store.Count.Should().Be(3);
        store.Contains("resp_0").Should().BeTrue();
        store.Contains("resp_998").Should().BeTrue();
        store.Contains("resp_999").Should().BeTrue();
    }

    [Fact]
    public void Continuing_by_conversation_id_never_computes_a_match_key()
    {
        var store = new TranscriptStore(100, TimeSpan.FromHours(1), _clock);
        var first = Node(null, "resp_1", Unreadable(InputItemKind.Message), Unreadable(InputItemKind.FunctionCall, "c1"));
        store.Add(first);

        var plan = ChainPlanner.Plan(store, "", "resp_1", [Output("c1", "42")], Settings, storeResponses: false);
        store.Add(Node(first, "resp_2", plan.NewItems[0], Unreadable(InputItemKind.FunctionCall, "c2")));
        var next = ChainPlanner.Plan(store, "", "resp_2", [Output("c2", "43")], Settings, storeResponses: false);

        plan.Parent.Should().BeSameAs(first);
        plan.NewItems.Should().ContainSingle().Which.CallId.Should().Be("c1");
        next.Parent!.ResponseId.Should().Be("resp_2");
        next.FullInput().Should().HaveCount(5);
    }

    [Fact]
    public void A_new_conversation_without_an_id_does_not_key_transcripts_it_cannot_extend()
    {
        // A loop that starts each task with a fresh history (one user message) must not key every earlier loop's turns.
        var store = new TranscriptStore(100, TimeSpan.FromHours(1), _clock);
        store.Add(Node(null, "resp_1", Unreadable(InputItemKind.Message), Unreadable(InputItemKind.FunctionCall, "c1")));

        var plan = ChainPlanner.Plan(store, "", null, [User("a new task")], Settings, storeResponses: false);

        plan.Parent.Should().BeNull();
        plan.NewItems.Should().ContainSingle();
    }

    [Fact]
    public void A_short_history_matches_a_short_transcript_while_longer_ones_stay_unkeyed()
    {
        var store = new TranscriptStore(100, TimeSpan.FromHours(1), _clock);
        store.Add(Node(null, "resp_long", Unreadable(InputItemKind.Message), Unreadable(InputItemKind.FunctionCall, "c1"), Unreadable(InputItemKind.FunctionCallOutput, "c1")));
        var warmup = Node(null, "resp_warm", User("system prompt"));
        store.Add(warmup);

        store.FindLongestPrefix("", [User("system prompt"), User("question")])!.Value.Should().Be((warmup, 1));
    }

    [Fact]
    public void A_resent_history_still_matches_responses_added_before_the_first_content_match()
    {
        var store = new TranscriptStore(100, TimeSpan.FromHours(1), _clock);
        var first = Node(null, "resp_1", User("hi"), Output("c1", "1"));
        store.Add(first);
        var second = Node(first, "resp_2", User("again"));
        store.Add(second);

        store.FindLongestPrefix("", [User("hi"), Output("c1", "1"), User("again"), User("new")])!.Value.Should().Be((second, 3));

        // Added after the index was first built: keyed on the next content match.
        var third = Node(second, "resp_3", User("third"));
        store.Add(third);
        store.FindLongestPrefix("", [User("hi"), Output("c1", "1"), User("again"), User("third"), User("x")])!.Value.Should().Be((third, 4));
    }

    [Fact]
    public void A_replaced_response_matches_only_its_new_transcript()
    {
        var store = new TranscriptStore(100, TimeSpan.FromHours(1), _clock);
        store.Add(Node(null, "resp_1", User("old")));
        store.FindLongestPrefix("", [User("old"), User("x")]).Should().NotBeNull();

        var replacement = Node(null, "resp_1", User("new"));
        store.Add(replacement);

        store.FindLongestPrefix("", [User("old"), User("x")]).Should().BeNull("the replaced node left the content index");
        store.FindLongestPrefix("", [User("new"), User("x")])!.Value.Node.Should().BeSameAs(replacement);
    }

    [Fact]
    public void A_response_evicted_before_any_content_match_is_never_matched()
    {
        var store = new TranscriptStore(1, TimeSpan.FromHours(1), _clock);
        store.Add(Node(null, "resp_1", User("a")));
        store.Add(Node(null, "resp_2", User("b")));

        store.FindLongestPrefix("", [User("a"), User("x")]).Should().BeNull();
        store.FindLongestPrefix("", [User("b"), User("x")])!.Value.Node.ResponseId.Should().Be("resp_2");
    }

    [Fact]
    public void Idle_responses_are_evicted_by_the_next_add()
    {
        var store = new TranscriptStore(100, TimeSpan.FromMinutes(10), _clock);
        store.Add(Node(null, "resp_old", User("a")));
        _clock.Advance(TimeSpan.FromMinutes(6));
        store.Add(Node(null, "resp_mid", User("b")));
        _clock.Advance(TimeSpan.FromMinutes(6));

        store.Add(Node(null, "resp_new", User("c")));

        store.Contains("resp_old").Should().BeFalse();
        store.Contains("resp_mid").Should().BeTrue();
        store.Count.Should().Be(2);
    }
}
