using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>
/// Reasoning models at store=false: they return reasoning items on every turn, which only survive a rebuilt chain with
/// their encrypted content; models without reasoning reject the include that asks for it. The local server enforces both
/// rules as the service does (an id-only reasoning item at store=false is a 404; the include on a non-reasoning model a 400).
/// </summary>
public class EncryptedReasoningTests
{
    private const string ReasoningModel = "gpt-5-mini";
    private static readonly AIFunction Lookup = AIFunctionFactory.Create((string city) => $"sunny in {city}", "lookup");

    private static IChatClient Agent(ServerFixture fixture, string model = ReasoningModel, EncryptedReasoningMode mode = EncryptedReasoningMode.Auto, List<ResponsesRequestInfo>? sent = null) =>
        new ChatClientBuilder(fixture.CreateClient(o =>
        {
            o.Model = model;
            o.EncryptedReasoning = mode;
            if (sent is not null) o.RequestSent = sent.Add;
        })).UseFunctionInvocation().Build();

    /// <summary>One user turn of a tool loop, resending the whole history the way most callers do.</summary>
    private static async Task<ChatResponse> TurnAsync(IChatClient agent, List<ChatMessage> history, string prompt, ChatOptions? options = null)
    {
        history.Add(new ChatMessage(ChatRole.User, prompt));
        var response = await agent.GetResponseAsync(history, options ?? new ChatOptions { Tools = [Lookup] }).Bounded();
        history.AddMessages(response);
        return response;
    }

    private static List<JsonElement> ReasoningItemsSent(ReceivedRequest request)
    {
        using var document = JsonDocument.Parse(request.Json);
        return document.RootElement.TryGetProperty("input", out var input) && input.ValueKind == JsonValueKind.Array
            ? input.EnumerateArray().Where(i => i.TryGetProperty("type", out var t) && t.GetString() == "reasoning").Select(i => i.Clone()).ToList()
            : [];
    }

    private static string? EncryptedContent(JsonElement item) =>
        item.TryGetProperty("encrypted_content", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void ShouldBeFullCreateWithResendableReasoning(ReceivedRequest request, int reasoningItems)
    {
        request.PreviousResponseId.Should().BeNull();
        var reasoning = ReasoningItemsSent(request);
        reasoning.Should().HaveCount(reasoningItems);
        reasoning.Select(EncryptedContent).Should().OnlyContain(e => e != null && e.Length > 0);
    }

    [Fact]
    public async Task A_reasoning_model_gets_encrypted_reasoning_by_default_and_chains_every_turn()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var sent = new List<ResponsesRequestInfo>();
        var agent = Agent(fixture, sent: sent);
        var history = new List<ChatMessage>();

        (await TurnAsync(agent, history, "weather in Oslo")).Text.Should().StartWith("Tool results: ");
        (await TurnAsync(agent, history, "and in Rome")).Text.Should().StartWith("Tool results: ");

        fixture.Server.Requests.Should().HaveCount(4);
        fixture.Server.Requests.Should().OnlyContain(r => r.Json.Contains("\"reasoning.encrypted_content\""));
        sent.Select(s => s.Status).Should().Equal(ChainStatus.NewConversation, ChainStatus.Chained, ChainStatus.Chained, ChainStatus.Chained);
        history.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Should().OnlyContain(r => r.ProtectedData != null);
    }

    [Fact]
    public async Task A_chain_evicted_by_the_service_is_rebuilt_with_its_reasoning()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var agent = Agent(fixture);
        var history = new List<ChatMessage>();
        await TurnAsync(agent, history, "weather in Oslo");
        fixture.Server.Faults.When(r => r.PreviousResponseId is not null && r.LastUserText == "and in Rome")
            .ErrorOnNextCreate("previous_response_not_found", "Previous response with id 'x' not found.", param: "previous_response_id");

        (await TurnAsync(agent, history, "and in Rome")).Text.Should().StartWith("Tool results: ");

        // Turn one's two responses each began with a reasoning item; the rebuild carries both, resendable.
        ShouldBeFullCreateWithResendableReasoning(fixture.Server.Requests[3], reasoningItems: 2);
    }

    [Fact]
    public async Task A_conversation_displaced_from_its_socket_is_rebuilt_with_its_reasoning()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o =>
        {
            o.Model = ReasoningModel;
            o.EncryptedReasoning = EncryptedReasoningMode.Auto;
            o.MaxConnections = 1;
        });
        var agent = new ChatClientBuilder(client).UseFunctionInvocation().Build();
        List<ChatMessage> first = [], second = [];
        await TurnAsync(agent, first, "weather in Oslo");
        await TurnAsync(agent, second, "weather in Lima");

        // The only socket now caches the other conversation: the first one's next turn is rebuilt from its transcript.
        (await TurnAsync(agent, first, "and in Rome")).Text.Should().StartWith("Tool results: ");

        ShouldBeFullCreateWithResendableReasoning(fixture.Server.Requests[4], reasoningItems: 2);
        fixture.Server.HandshakeCount.Should().Be(1);
    }

    [Fact]
    public async Task A_dropped_socket_is_rebuilt_with_its_reasoning()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var agent = Agent(fixture);
        var history = new List<ChatMessage>();
        await TurnAsync(agent, history, "weather in Oslo");
        fixture.Server.Faults.When(r => r.PreviousResponseId is not null && r.LastUserText == "and in Rome").DropConnectionAfterEvents(0);

        (await TurnAsync(agent, history, "and in Rome")).Text.Should().StartWith("Tool results: ");

        fixture.Server.HandshakeCount.Should().Be(2);
        ShouldBeFullCreateWithResendableReasoning(fixture.Server.Requests[3], reasoningItems: 2);
    }

    [Fact]
    public async Task A_settings_change_is_rebuilt_with_its_reasoning()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var agent = Agent(fixture);
        var history = new List<ChatMessage>();
        await TurnAsync(agent, history, "weather in Oslo");

        (await TurnAsync(agent, history, "and in Rome", new ChatOptions { Tools = [Lookup], Instructions = "Be brief." })).Text.Should().StartWith("Tool results: ");

        ShouldBeFullCreateWithResendableReasoning(fixture.Server.Requests[2], reasoningItems: 2);
    }

    [Fact]
    public async Task A_history_resent_to_a_new_client_keeps_its_reasoning()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var history = new List<ChatMessage>();
        await TurnAsync(Agent(fixture), history, "weather in Oslo");

        (await TurnAsync(Agent(fixture), history, "and in Rome")).Text.Should().StartWith("Tool results: ");

        ShouldBeFullCreateWithResendableReasoning(fixture.Server.Requests[2], reasoningItems: 2);
    }

    [Fact]
    public async Task Reasoning_without_encrypted_content_is_left_out_of_a_store_false_rebuild()
    {
        await using var fixture = await ServerFixture.StartAsync();

        // Never asked for: the reasoning items come back with ids only, which store=false cannot resolve (404).
        var agent = Agent(fixture, mode: EncryptedReasoningMode.Never);
        var history = new List<ChatMessage>();
        await TurnAsync(agent, history, "weather in Oslo");
        history.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Should().NotBeEmpty().And.OnlyContain(r => r.ProtectedData == null);

        // A settings change on the same client rebuilds from the transcript; a new client gets the caller's history.
        await TurnAsync(agent, history, "and in Rome", new ChatOptions { Tools = [Lookup], Instructions = "Be brief." });
        var fresh = Agent(fixture, mode: EncryptedReasoningMode.Never);
        (await TurnAsync(fresh, history, "and in Paris")).Text.Should().StartWith("Tool results: ");

        var rebuilds = fixture.Server.Requests.Where(r => r.PreviousResponseId is null).Skip(1).ToList();
        rebuilds.Should().HaveCount(2);
        rebuilds.Should().OnlyContain(r => ReasoningItemsSent(r).Count == 0);
        rebuilds.Should().OnlyContain(r => r.InputItemTypes.Contains("function_call"), "only the unresolvable reasoning is dropped");
    }

    [Fact]
    public async Task Reasoning_by_id_is_still_sent_when_responses_are_stored()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var agent = Agent(fixture);
        var history = new List<ChatMessage>();
        var stored = new ChatOptions { Tools = [Lookup], AdditionalProperties = new() { ["store"] = true } };
        await TurnAsync(agent, history, "weather in Oslo", stored);

        await TurnAsync(Agent(fixture), history, "and in Rome", stored);

        fixture.Server.Requests.Should().NotContain(r => r.Json.Contains("reasoning.encrypted_content"), "store=true does not need it");
        ReasoningItemsSent(fixture.Server.Requests[2]).Select(EncryptedContent).Should().HaveCount(2).And.OnlyContain(e => e == null);
    }

    [Fact]
    public async Task A_model_without_reasoning_costs_one_extra_round_trip_per_client()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var sent = new List<ResponsesRequestInfo>();
        var agent = Agent(fixture, model: "local-model", sent: sent);
        var history = new List<ChatMessage>();

        (await TurnAsync(agent, history, "weather in Oslo")).Text.Should().StartWith("Tool results: ");
        (await TurnAsync(agent, history, "and in Rome")).Text.Should().StartWith("Tool results: ");

        var requests = fixture.Server.Requests;
        requests.Should().HaveCount(5, "four turns plus the one the service rejected");
        requests[0].Json.Should().Contain("reasoning.encrypted_content");
        requests.Skip(1).Should().OnlyContain(r => !r.Json.Contains("reasoning.encrypted_content"));
        sent.Select(s => s.Status).Should().Equal(ChainStatus.NewConversation, ChainStatus.NewConversation, ChainStatus.Chained, ChainStatus.Chained, ChainStatus.Chained);

        // Another client learns it once more, on its own.
        await TurnAsync(Agent(fixture, model: "local-model"), [], "weather in Paris");
        fixture.Server.Requests.Should().HaveCount(8);
    }

    [Theory]
    [InlineData(EncryptedReasoningMode.Always, false)]
    [InlineData(EncryptedReasoningMode.Auto, true)]
    public async Task An_include_the_caller_insisted_on_surfaces_the_services_error(EncryptedReasoningMode mode, bool callerInclude)
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.EncryptedReasoning = mode);
        var options = callerInclude ? new ChatOptions { AdditionalProperties = new() { ["include"] = new[] { "reasoning.encrypted_content" } } } : null;

        var failure = (await FluentActions.Awaiting(() => client.GetResponseAsync("hi", options).Bounded()).Should().ThrowAsync<ResponsesException>()).Which;

        failure.Kind.Should().Be(ResponsesErrorKind.ServiceError);
        failure.Param.Should().Be("include");
        fixture.Server.Requests.Should().HaveCount(1, "no transparent resend for an include the caller asked for");
    }
}
