using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Testing;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.Client;

/// <summary>Streaming and non-streaming calls against the local server over a real loopback WebSocket.</summary>
public class StreamingTests
{
    [Fact]
    public async Task Streams_text_with_role_and_ids_on_every_update()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();

        var updates = await ServerFixture.CollectAsync(client.GetStreamingResponseAsync("Hello there"));

        string.Concat(updates.Select(u => u.Text)).Should().Be("You said: Hello there");
        updates.Should().HaveCountGreaterThan(2, "the server streams the answer in several deltas");
        updates.Should().OnlyContain(u => u.Role == ChatRole.Assistant && !string.IsNullOrEmpty(u.MessageId)
            && u.ResponseId != null && u.ModelId == "local-model" && u.CreatedAt != null);
        updates[^1].FinishReason.Should().Be(ChatFinishReason.Stop);
        updates[^1].Contents.OfType<UsageContent>().Single().Details.InputTokenCount.Should().BePositive();
    }

    [Fact]
    public async Task Sends_a_flat_response_create_frame_with_explicit_store_and_no_stream_or_background()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();

        await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Be terse."), new ChatMessage(ChatRole.User, "Hi")],
            new ChatOptions { Instructions = "Answer in English.", Temperature = 0.5f, MaxOutputTokens = 100 });

        var request = fixture.Server.Requests.Should().ContainSingle().Subject;
        request.Transport.Should().Be("websocket");
        using var json = JsonDocument.Parse(request.Json);
        var root = json.RootElement;
        root.EnumerateObject().First().Name.Should().Be("type");
        root.GetProperty("type").GetString().Should().Be("response.create");
        root.GetProperty("model").GetString().Should().Be("local-model");
        root.GetProperty("store").GetBoolean().Should().BeFalse();
        root.GetProperty("instructions").GetString().Should().Be("Answer in English.");
        root.GetProperty("temperature").GetDouble().Should().Be(0.5);
        root.GetProperty("max_output_tokens").GetInt32().Should().Be(100);
        request.Has("stream").Should().BeFalse();
        request.Has("background").Should().BeFalse();
        request.Has("generate").Should().BeFalse();
        request.Has("previous_response_id").Should().BeFalse();
        request.InputItemTypes.Should().Equal("message", "message");
    }

    [Fact]
    public async Task Non_streaming_call_returns_a_complete_response()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();

        var response = await client.GetResponseAsync("Ping");

        response.Text.Should().Be("You said: Ping");
        response.Messages.Should().ContainSingle().Which.Role.Should().Be(ChatRole.Assistant);
        response.ResponseId.Should().StartWith("resp_");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.Usage!.TotalTokenCount.Should().BePositive();
        response.ModelId.Should().Be("local-model");
    }

    [Fact]
    public async Task Sends_the_bearer_key_on_the_upgrade_and_reuses_one_socket()
    {
        await using var fixture = await ServerFixture.StartAsync(apiKey: "sk-local-123");
        var client = fixture.CreateClient();

        string? conversationId = null;
        for (var i = 0; i < 3; i++)
        {
            conversationId = (await client.GetResponseAsync($"Turn {i}", new ChatOptions { ConversationId = conversationId })).ConversationId;
        }

        fixture.Server.HandshakeCount.Should().Be(1);
        client.ConnectionsOpened.Should().Be(1);
        fixture.Server.HandshakeHeaders.Single()["Authorization"].Should().Be("Bearer sk-local-123");
        fixture.Server.Requests.Select(r => r.ConnectionId).Distinct().Should().ContainSingle();
    }

    [Fact]
    public async Task Scripted_reasoning_citations_and_incomplete_reason_map_through()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient();
        fixture.Server.Model.Enqueue(new ScriptedReply
        {
            ReasoningSummary = "Thinking it over",
            Text = "See the docs",
            Citations = [new ScriptedCitation("https://example.com/docs", "Docs", 8, 12)],
            IncompleteReason = "max_output_tokens",
        });

        var response = await client.GetResponseAsync("Explain", new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } });

        response.FinishReason.Should().Be(ChatFinishReason.Length);
        response.Text.Should().Be("See the docs");
        var reasoning = response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().ToList();
        string.Concat(reasoning.Select(r => r.Text)).Should().Be("Thinking it over");
        reasoning.Should().Contain(r => r.ProtectedData != null, "store=false with reasoning asks for encrypted content");
        var citation = response.Messages.SelectMany(m => m.Contents).SelectMany(c => c.Annotations ?? []).OfType<CitationAnnotation>().Single();
        citation.Url.Should().Be(new Uri("https://example.com/docs"));
        fixture.Server.Requests[0].Json.Should().Contain("reasoning.encrypted_content");
    }

    [Fact]
    public async Task Concurrent_calls_wait_for_each_other_instead_of_interleaving_on_one_socket()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);
        var release = new TaskCompletionSource();
        fixture.Server.Faults.PauseAfterEvents(4, release.Task);

        var first = client.GetResponseAsync("first");
        await fixture.Server.WaitForRequestCountAsync(1);
        var second = client.GetResponseAsync("second");

        fixture.Server.Requests.Should().HaveCount(1, "the second call waits while the first response is in flight");
        second.IsCompleted.Should().BeFalse();
        release.SetResult();

        (await first).Text.Should().Be("You said: first");
        (await second).Text.Should().Be("You said: second");
        fixture.Server.HandshakeCount.Should().Be(1);
    }

    [Fact]
    public async Task A_trailing_second_terminal_does_not_leak_into_the_next_call()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 1);
        fixture.Server.Faults.SendTrailingTerminalAfterNextResponse();

        (await client.GetResponseAsync("one")).Text.Should().Be("You said: one");
        (await client.GetResponseAsync("two")).Text.Should().Be("You said: two");
        fixture.Server.HandshakeCount.Should().Be(1);
    }

    [Fact]
    public async Task Independent_conversations_run_in_parallel_on_their_own_sockets()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = fixture.CreateClient(o => o.MaxConnections = 2);
        var release = new TaskCompletionSource();
        fixture.Server.Faults.PauseAfterEvents(5, release.Task); // after the first text delta

        // Wait for the first update, not just for the request: only then has the first response taken the pause
        // fault, so the second one (on its own socket) cannot take it instead and hang.
        var first = client.GetStreamingResponseAsync("first").GetAsyncEnumerator();
        (await first.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        var rest = Task.Run(async () =>
        {
            var text = new System.Text.StringBuilder(first.Current.Text);
            while (await first.MoveNextAsync())
            {
                text.Append(first.Current.Text);
            }

            return text.ToString();
        });
        var second = await client.GetResponseAsync("second").WaitAsync(TimeSpan.FromSeconds(30));

        second.Text.Should().Be("You said: second");
        rest.IsCompleted.Should().BeFalse("the first response is still paused on the other socket");
        release.SetResult();
        (await rest.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be("You said: first");
        await first.DisposeAsync();
        fixture.Server.HandshakeCount.Should().Be(2);
    }

    [Fact]
    public async Task DisposeAsync_closes_the_socket_with_a_close_handshake()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var client = new ResponsesWebSocketChatClient(new() { Endpoint = fixture.Server.BaseUri, ApiKey = fixture.Server.ApiKey, Model = "m" });
        await client.GetResponseAsync("hi");
        fixture.Server.OpenConnectionCount.Should().Be(1);

        await client.DisposeAsync();

        fixture.Server.OpenConnectionCount.Should().Be(0, "the server answered our close before the client finished disposing");
    }
}
