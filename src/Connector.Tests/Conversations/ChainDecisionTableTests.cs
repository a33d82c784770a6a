using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Conversations;

/// <summary>
/// <see cref="ConversationPlan.Decide"/> is a pure function of the plan, the channel's connection-local cache and a forced
/// full create: the whole table, row by row.
/// </summary>
public class ChainDecisionTableTests
{
    private const ulong Settings = 7;

    public enum Parent { None, Unstored, Stored }

    public enum Cache { Empty, HoldsParent, HoldsOther }

    [Theory]
    // parent,          store, same settings, cache,             forceFull, pass-through, server conv → previous id,  status
    [InlineData(Parent.None, false, true, Cache.Empty, false, false, false, null, ChainStatus.NewConversation)]
    [InlineData(Parent.None, true, true, Cache.Empty, false, true, false, "resp_elsewhere", ChainStatus.Chained)]
    [InlineData(Parent.None, true, true, Cache.Empty, true, true, false, null, ChainStatus.NewConversation)]
    [InlineData(Parent.None, false, true, Cache.Empty, false, false, true, null, ChainStatus.ServerConversation)]
    [InlineData(Parent.Unstored, false, true, Cache.HoldsParent, false, false, false, "resp_parent", ChainStatus.Chained)]
    [InlineData(Parent.Unstored, false, true, Cache.HoldsOther, false, false, false, null, ChainStatus.NotCachedOnSocket)]
    [InlineData(Parent.Unstored, false, true, Cache.Empty, false, false, false, null, ChainStatus.NotCachedOnSocket)]
    [InlineData(Parent.Unstored, false, true, Cache.HoldsParent, true, false, false, null, ChainStatus.PreviousResponseNotFound)]
    [InlineData(Parent.Unstored, false, false, Cache.HoldsParent, false, false, false, null, ChainStatus.SettingsChanged)]
    [InlineData(Parent.Unstored, true, true, Cache.Empty, false, false, false, null, ChainStatus.NotCachedOnSocket)]
    [InlineData(Parent.Stored, true, true, Cache.Empty, false, false, false, "resp_parent", ChainStatus.Chained)]
    [InlineData(Parent.Stored, true, true, Cache.HoldsOther, false, false, false, "resp_parent", ChainStatus.Chained)]
    [InlineData(Parent.Stored, false, true, Cache.Empty, false, false, false, null, ChainStatus.NotCachedOnSocket)]
    [InlineData(Parent.Stored, false, true, Cache.HoldsParent, false, false, false, "resp_parent", ChainStatus.Chained)]
    [InlineData(Parent.Stored, true, false, Cache.HoldsParent, false, false, false, null, ChainStatus.SettingsChanged)]
    [InlineData(Parent.Stored, true, true, Cache.HoldsParent, true, false, false, null, ChainStatus.PreviousResponseNotFound)]
    [InlineData(Parent.Stored, true, true, Cache.HoldsParent, false, false, true, null, ChainStatus.ServerConversation)]
    public void Decides_chained_or_full_from_the_plan_and_the_channel_cache(
        Parent parent, bool store, bool sameSettings, Cache cache, bool forceFull, bool passThrough, bool serverConversation,
        string? expectedPreviousId, ChainStatus expectedStatus)
    {
        var parentNode = parent == Parent.None ? null
            : new ResponseNode(null, [], "resp_parent", Settings, store: parent == Parent.Stored);
        var plan = new ConversationPlan(parentNode, [], sameSettings ? Settings : Settings + 1, store,
            passThroughPreviousResponseId: passThrough ? "resp_elsewhere" : null,
            serverConversationId: serverConversation ? "conv_1" : null);
        var cached = cache switch
        {
            Cache.HoldsParent => "resp_parent",
            Cache.HoldsOther => "resp_other",
            _ => null,
        };

        var (previousId, status) = plan.Decide(cached, forceFull);

        previousId.Should().Be(expectedPreviousId);
        status.Should().Be(expectedStatus);
    }

    [Fact]
    public void Http_has_no_connection_cache_so_an_unstored_chain_always_goes_out_full()
    {
        var parent = new ResponseNode(null, [new InputItem(InputItemKind.Message, "{}"u8.ToArray(), role: "user")], "resp_parent", Settings, store: false);
        var plan = new ConversationPlan(parent, [], Settings, store: false);

        plan.Decide(cachedResponseId: null, forceFull: false).Should().Be(((string?)null, ChainStatus.NotCachedOnSocket));
        plan.FullInput().Should().ContainSingle();
    }
}
