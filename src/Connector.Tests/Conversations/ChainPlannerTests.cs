using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Protocol;
using ResponsesWebSocket.Tests.Support;
using static ResponsesWebSocket.Tests.Conversations.ItemKeyTests;

namespace ResponsesWebSocket.Tests.Conversations;

/// <summary>Chain decisions without a socket: which transcript a call continues, and what is new.</summary>
public class ChainPlannerTests
{
    private static readonly UInt128 Settings = 42;
    private readonly ManualTimeProvider _clock = new();

    private static InputItem User(string text) =>
        Item(InputItemKind.Message, $$"""{"type":"message","role":"user","content":[{"type":"input_text","text":"{{text}}"}]}""", "user");

    private static InputItem Assistant(string text, string? id = null) =>
        Item(InputItemKind.Message, $$"""{{{(id is null ? "" : $"\"id\":\"{id}\",")}}"type":"message","role":"assistant","content":[{"type":"output_text","text":"{{text}}"}]}""", "assistant", id: id);

    private static InputItem Call(string callId, string id) =>
        Item(InputItemKind.FunctionCall, $$"""{"id":"{{id}}","type":"function_call","call_id":"{{callId}}","name":"f","arguments":"{}"}""", callId: callId, id: id);

    private static InputItem Output(string callId, string output) =>
        Item(InputItemKind.FunctionCallOutput, $$"""{"type":"function_call_output","call_id":"{{callId}}","output":"{{output}}"}""", callId: callId);

    private static InputItem Reasoning(string id) =>
        Item(InputItemKind.Reasoning, $$"""{"type":"reasoning","id":"{{id}}","summary":[],"encrypted_content":"enc"}""", id: id);

    private TranscriptStore NewStore(int max = 100) => new(max, TimeSpan.FromHours(1), _clock);

    private ResponseNode Add(TranscriptStore store, ResponseNode? parent, string responseId, params InputItem[] items)
    {
        var node = new ResponseNode(parent, items, responseId, Settings, store: false);
        store.Add(node);
        return node;
    }

    [Fact]
    public void A_conversation_id_continues_that_response_with_only_the_new_items()
    {
        var store = NewStore();
        var first = Add(store, null, "resp_1", User("hi"), Reasoning("rs_1"), Call("c1", "fc_1"));

        var plan = ChainPlanner.Plan(store, "", "resp_1", [Output("c1", "42")], Settings, storeResponses: false);

        plan.Parent.Should().BeSameAs(first);
        plan.NewItems.Should().ContainSingle().Which.Kind.Should().Be(InputItemKind.FunctionCallOutput);
        plan.SameSettings.Should().BeTrue();
        plan.FullInput().Select(i => i.Kind).Should().Equal(InputItemKind.Message, InputItemKind.Reasoning, InputItemKind.FunctionCall, InputItemKind.FunctionCallOutput);
    }

    [Fact]
    public void A_resent_full_history_without_reasoning_continues_the_longest_matching_transcript()
    {
        var store = NewStore();
        var first = Add(store, null, "resp_1", User("hi"), Reasoning("rs_1"), Call("c1", "fc_1"));
        var second = Add(store, first, "resp_2", Output("c1", "42"), Assistant("It is 42", "msg_2"));

        // Semantic Kernel style: new objects, rebuilt items, reasoning dropped, assistant text without ids.
        var plan = ChainPlanner.Plan(store, "", null,
            [User("hi"), Item(InputItemKind.FunctionCall, """{"type":"function_call","call_id":"c1","name":"f","arguments":"{ }"}""", callId: "c1"),
             Output("c1", "42"), Assistant("It is 42"), User("thanks")], Settings, storeResponses: false);

        plan.Parent.Should().BeSameAs(second);
        plan.NewItems.Should().ContainSingle().Which.ToString().Should().Contain("thanks");
    }

    [Fact]
    public void An_edited_history_starts_a_new_conversation_with_the_callers_items()
    {
        var store = NewStore();
        Add(store, null, "resp_1", User("hi"), Assistant("Hello", "msg_1"));

        var incoming = new List<InputItem> { User("hi (edited)"), Assistant("Hello"), User("next") };
        var plan = ChainPlanner.Plan(store, "", null, incoming, Settings, storeResponses: false);

        plan.Parent.Should().BeNull();
        plan.NewItems.Should().BeSameAs(incoming);
    }

    [Fact]
    public void A_trimmed_history_does_not_match()
    {
        var store = NewStore();
        Add(store, null, "resp_1", User("one"), Assistant("A", "msg_1"));

        var plan = ChainPlanner.Plan(store, "", null, [Assistant("A"), User("two")], Settings, storeResponses: false);

        plan.Parent.Should().BeNull();
    }

    [Fact]
    public void A_caller_sending_an_id_and_the_whole_history_gets_only_the_tail_sent()
    {
        var store = NewStore();
        Add(store, null, "resp_1", User("hi"), Assistant("Hello", "msg_1"));

        var plan = ChainPlanner.Plan(store, "", "resp_1", [User("hi"), Assistant("Hello"), User("again")], Settings, storeResponses: false);

        plan.NewItems.Should().ContainSingle().Which.ToString().Should().Contain("again");
    }

    [Fact]
    public void Model_items_the_transcript_already_holds_are_never_new()
    {
        var store = NewStore();
        Add(store, null, "resp_1", User("hi"), Call("c1", "fc_1"));

        var plan = ChainPlanner.Plan(store, "", "resp_1", [Call("c1", "fc_1"), Output("c1", "1")], Settings, storeResponses: false);

        plan.NewItems.Select(i => i.Kind).Should().Equal(InputItemKind.FunctionCallOutput);
    }

    [Fact]
    public void Changed_settings_are_detected()
    {
        var store = NewStore();
        Add(store, null, "resp_1", User("hi"));

        var plan = ChainPlanner.Plan(store, "", "resp_1", [User("more")], fingerprint: 7, storeResponses: false);

        plan.SameSettings.Should().BeFalse();
    }

    [Fact]
    public void An_unknown_id_without_storage_fails_clearly()
    {
        var act = () => ChainPlanner.Plan(NewStore(), "", "resp_missing", [User("hi")], Settings, storeResponses: false);

        act.Should().Throw<ResponsesException>().Which.Kind.Should().Be(ResponsesErrorKind.UnknownConversation);
    }

    [Fact]
    public void An_unknown_id_with_storage_is_passed_through_to_the_service()
    {
        var plan = ChainPlanner.Plan(NewStore(), "", "resp_stored", [User("hi")], Settings, storeResponses: true);

        plan.Parent.Should().BeNull();
        plan.PassThroughPreviousResponseId.Should().Be("resp_stored");
    }

    [Fact]
    public void A_server_conversation_id_is_not_chained_by_the_client()
    {
        var plan = ChainPlanner.Plan(NewStore(), "", "conv_123", [User("hi")], Settings, storeResponses: false);

        plan.ServerConversationId.Should().Be("conv_123");
        plan.Parent.Should().BeNull();
    }

    [Fact]
    public void The_store_forgets_the_least_recently_used_beyond_its_bound()
    {
        var store = NewStore(max: 2);
        Add(store, null, "resp_a", User("a"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Add(store, null, "resp_b", User("b"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        store.Find("", "resp_a").Should().NotBeNull();
        _clock.Advance(TimeSpan.FromSeconds(1));
        Add(store, null, "resp_c", User("c"));

        store.Count.Should().Be(2);
        store.Find("", "resp_b").Should().BeNull("it was the least recently used");
        store.Find("", "resp_a").Should().NotBeNull();
        store.FindLongestPrefix("", [User("b"), User("more")]).Should().BeNull("an evicted transcript no longer matches");
    }

    [Fact]
    public void The_store_forgets_idle_transcripts()
    {
        var store = new TranscriptStore(100, TimeSpan.FromMinutes(10), _clock);
        Add(store, null, "resp_a", User("a"));

        _clock.Advance(TimeSpan.FromMinutes(11));

        store.Find("", "resp_a").Should().BeNull();
        store.Count.Should().Be(0);
    }

    [Fact]
    public void Descendants_keep_their_whole_transcript_after_an_ancestor_is_evicted()
    {
        var store = NewStore(max: 1);
        var first = Add(store, null, "resp_1", User("hi"), Assistant("A", "msg_1"));
        var second = Add(store, first, "resp_2", User("more"), Assistant("B", "msg_2"));

        store.Find("", "resp_1").Should().BeNull();
        store.Find("", "resp_2").Should().BeSameAs(second);
        second.AllItems().Should().HaveCount(4);
        store.FindLongestPrefix("", [User("hi"), Assistant("A"), User("more"), Assistant("B"), User("x")])!.Value.Node.Should().BeSameAs(second);
    }
}
