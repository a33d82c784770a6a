using System.Net;
using System.Text.Json;
using ResponsesWebSocket.Testing;
using static ResponsesWebSocket.Tests.Testing.WireClient;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>The live service's reasoning rules as the local server models them, over WebSocket and HTTP.</summary>
public sealed class ReasoningModelTests
{
    private static string StoreFalseMessage(string id) =>
        $"Item with id '{id}' not found. Items are not persisted when `store` is set to false. Try again with `store` set to true, or remove this item from your input.";

    [Theory]
    [InlineData("gpt-5", true)]
    [InlineData("gpt-5-mini", true)]
    [InlineData("GPT-5.2", true)]
    [InlineData("gpt-5-codex", true)]
    [InlineData("o1", true)]
    [InlineData("o3-mini", true)]
    [InlineData("o4-mini-2025-04-16", true)]
    [InlineData("gpt-5-chat-latest", false)]
    [InlineData("gpt-4o", false)]
    [InlineData("gpt-4.1", false)]
    [InlineData("local-model", false)]
    [InlineData("gpt-test", false)]
    public void Default_predicate_knows_the_reasoning_families(string model, bool reasons) =>
        LocalResponsesServerOptions.IsReasoningModelByDefault(model).Should().Be(reasons);

    [Fact]
    public async Task A_reasoning_model_reasons_first_on_every_turn_without_being_asked()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"model":"gpt-5-mini","store":false,"input":"one"}"""));
        var first = await ReadResponseAsync(socket);
        await SendAsync(socket, Create($$"""{"model":"gpt-5-mini","store":false,"previous_response_id":"{{ResponseId(first[^1])}}","input":"two"}"""));
        var second = await ReadResponseAsync(socket);

        foreach (var events in new[] { first, second })
        {
            var response = events[^1].GetProperty("response");
            var output = response.GetProperty("output");
            output.EnumerateArray().Select(item => item.GetProperty("type").GetString()).Should().Equal("reasoning", "message");
            output[0].GetProperty("id").GetString().Should().StartWith("rs_");
            output[0].TryGetProperty("encrypted_content", out _).Should().BeFalse("nobody asked for it");
            Type(events[2]).Should().Be("response.output_item.added");
            events[2].GetProperty("item").GetProperty("type").GetString().Should().Be("reasoning");
            var usage = response.GetProperty("usage");
            usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32().Should().BePositive();
            usage.GetProperty("output_tokens").GetInt32().Should().BeGreaterThan(usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32());
        }

        var (status, body) = await PostAsync(server, """{"model":"o3","store":false,"input":"over http"}""");
        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("output")[0].GetProperty("type").GetString().Should().Be("reasoning");

        // A non-reasoning model keeps answering without reasoning, as before.
        (await PostAsync(server, """{"model":"local-model","store":false,"input":"plain"}""")).Body.GetProperty("output")
            .EnumerateArray().Select(item => item.GetProperty("type").GetString()).Should().Equal("message");
    }

    [Fact]
    public async Task Encrypted_content_comes_only_when_included_and_differs_per_item()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Model.Enqueue(ScriptedReply.CallFunctions(new ScriptedFunctionCall("f", "{}")));
        using var socket = await ConnectAsync(server);

        await SendAsync(socket, Create("""{"model":"gpt-5","store":false,"include":["reasoning.encrypted_content"],"input":"a"}"""));
        var viaSocket = (await ReadResponseAsync(socket))[^1].GetProperty("response").GetProperty("output");
        var (_, viaHttp) = await PostAsync(server, """{"model":"gpt-5","store":false,"include":["reasoning.encrypted_content"],"input":"b"}""");

        viaSocket.EnumerateArray().Select(item => item.GetProperty("type").GetString()).Should().Equal("reasoning", "function_call");
        var contents = new[] { viaSocket[0], viaHttp.GetProperty("output")[0] }.Select(item => item.GetProperty("encrypted_content").GetString()).ToList();
        contents.Should().OnlyContain(content => !string.IsNullOrEmpty(content));
        contents.Distinct().Should().HaveCount(2);
    }

    [Theory]
    [InlineData("local-model")]
    [InlineData("gpt-4o")]
    [InlineData("gpt-5-chat-latest")]
    public async Task A_non_reasoning_model_rejects_the_encrypted_reasoning_include_on_both_transports(string model)
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        var request = $$"""{"model":"{{model}}","store":false,"include":["reasoning.encrypted_content"],"input":"hi"}""";

        await SendAsync(socket, Create(request));
        var error = await ReceiveAsync(socket);
        Type(error).Should().Be("error");
        error.GetProperty("status").GetInt32().Should().Be(400);
        ShouldBeIncludeError(ErrorOf(error));

        var streamed = request.Replace("{", """{"stream":true,""", StringComparison.Ordinal);
        foreach (var body in new[] { request, streamed })
        {
            var (status, json) = await PostAsync(server, body);
            status.Should().Be(HttpStatusCode.BadRequest);
            ShouldBeIncludeError(json.GetProperty("error"));
        }

        // The socket is still usable, and without the include the same model answers.
        await SendAsync(socket, Create($$"""{"model":"{{model}}","store":false,"input":"hi"}"""));
        FinalText(await ReadResponseAsync(socket)).Should().Be("You said: hi");
    }

    [Fact]
    public async Task The_reasoning_predicate_is_configurable()
    {
        await using var server = await LocalResponsesServer.StartAsync(new LocalResponsesServerOptions { IsReasoningModel = model => model == "local-model" });

        var (status, body) = await PostAsync(server, """{"store":false,"include":["reasoning.encrypted_content"],"input":"hi"}""");
        status.Should().Be(HttpStatusCode.OK);
        body.GetProperty("output")[0].GetProperty("encrypted_content").GetString().Should().NotBeNullOrEmpty();
        (await PostAsync(server, """{"model":"gpt-5","store":false,"include":["reasoning.encrypted_content"],"input":"hi"}""")).Status
            .Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task At_store_false_an_id_only_reasoning_item_is_not_found_even_when_the_server_just_issued_it()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create("""{"model":"gpt-5","store":false,"input":"think"}"""));
        var output = (await ReadResponseAsync(socket))[^1].GetProperty("response").GetProperty("output");
        var reasoningId = output[0].GetProperty("id").GetString()!;
        var resend = FullResend("gpt-5", store: false, output[0], output[1]);

        await SendAsync(socket, Create(resend));
        var error = await ReceiveAsync(socket);
        error.GetProperty("status").GetInt32().Should().Be(404);
        ShouldBeNotPersisted(ErrorOf(error), reasoningId);

        var (status, body) = await PostAsync(server, resend);
        status.Should().Be(HttpStatusCode.NotFound);
        ShouldBeNotPersisted(body.GetProperty("error"), reasoningId);

        // Dropping the item is the cure.
        await SendAsync(socket, Create(FullResend("gpt-5", store: false, output[1])));
        Type((await ReadResponseAsync(socket))[^1]).Should().Be("response.completed");
    }

    [Fact]
    public async Task At_store_true_an_id_only_reasoning_item_resolves_only_when_it_was_stored()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        var (_, stored) = await PostAsync(server, """{"model":"gpt-5","store":true,"input":"think"}""");
        var storedOutput = stored.GetProperty("output");
        var (_, unstored) = await PostAsync(server, """{"model":"gpt-5","store":false,"input":"think again"}""");
        var unstoredOutput = unstored.GetProperty("output");
        var unstoredId = unstoredOutput[0].GetProperty("id").GetString()!;

        using var socket = await ConnectAsync(server);
        await SendAsync(socket, Create(FullResend("gpt-5", store: true, storedOutput[0], storedOutput[1])));
        Type((await ReadResponseAsync(socket))[^1]).Should().Be("response.completed");
        (await PostAsync(server, FullResend("gpt-5", store: true, storedOutput[0], storedOutput[1]))).Status.Should().Be(HttpStatusCode.OK);

        await SendAsync(socket, Create(FullResend("gpt-5", store: true, unstoredOutput[0], unstoredOutput[1])));
        var error = await ReceiveAsync(socket);
        error.GetProperty("status").GetInt32().Should().Be(404);
        ErrorOf(error).GetProperty("message").GetString().Should().Be($"Item with id '{unstoredId}' not found.");
        ErrorOf(error).GetProperty("param").GetString().Should().Be("input");
        (await PostAsync(server, FullResend("gpt-5", store: true, unstoredOutput[0], unstoredOutput[1]))).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Encrypted_reasoning_is_accepted_when_this_server_issued_it_and_rejected_when_forged()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        await using var otherServer = await LocalResponsesServer.StartAsync();
        const string Include = """ "include":["reasoning.encrypted_content"] """;
        var output = (await PostAsync(server, $$"""{"model":"gpt-5","store":false,{{Include}},"input":"think"}""")).Body.GetProperty("output");
        var foreign = (await PostAsync(otherServer, $$"""{"model":"gpt-5","store":false,{{Include}},"input":"think"}""")).Body.GetProperty("output")[0];
        var issued = output[0];
        var id = issued.GetProperty("id").GetString()!;
        var content = issued.GetProperty("encrypted_content").GetString()!;

        // Issued here: accepted at store=false, with its id or without one, on both transports.
        var withoutId = Reasoning(id: null, content);
        foreach (var item in new[] { issued, withoutId })
        {
            (await PostAsync(server, FullResend("gpt-5", store: false, item, output[1]))).Status.Should().Be(HttpStatusCode.OK);
            using var socket = await ConnectAsync(server);
            await SendAsync(socket, Create(FullResend("gpt-5", store: false, item, output[1])));
            Type((await ReadResponseAsync(socket))[^1]).Should().Be("response.completed");
        }

        // Altered, issued by another server, or attached to another item: 400 invalid_encrypted_content.
        var altered = Reasoning(id, content[..^4] + (content[^4] == 'A' ? "BBBB" : "AAAA"));
        var fromElsewhere = Reasoning(id, foreign.GetProperty("encrypted_content").GetString()!);
        var notBase64 = Reasoning(id, "not an issued blob");
        foreach (var forged in new[] { altered, fromElsewhere, notBase64 })
        {
            var (status, body) = await PostAsync(server, FullResend("gpt-5", store: false, forged, output[1]));
            status.Should().Be(HttpStatusCode.BadRequest);
            body.GetProperty("error").GetProperty("code").GetString().Should().Be("invalid_encrypted_content");
            body.GetProperty("error").GetProperty("message").GetString().Should().Be($"The encrypted content for item {id} could not be verified.");

            using var socket = await ConnectAsync(server);
            await SendAsync(socket, Create(FullResend("gpt-5", store: false, forged, output[1])));
            ErrorOf(await ReceiveAsync(socket)).GetProperty("code").GetString().Should().Be("invalid_encrypted_content");
        }

        var swapped = Reasoning("rs_other", content);
        var mismatch = await PostAsync(server, FullResend("gpt-5", store: false, swapped, output[1]));
        mismatch.Status.Should().Be(HttpStatusCode.BadRequest);
        mismatch.Body.GetProperty("error").GetProperty("message").GetString().Should().Be("Encrypted content item_id did not match the target item id.");
    }

    private static void ShouldBeIncludeError(JsonElement error)
    {
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("param").GetString().Should().Be("include");
        error.GetProperty("message").GetString().Should().Be("Encrypted content is not supported with this model.");
    }

    private static void ShouldBeNotPersisted(JsonElement error, string id)
    {
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("param").GetString().Should().Be("input");
        error.GetProperty("message").GetString().Should().Be(StoreFalseMessage(id));
    }

    private static JsonElement Reasoning(string? id, string encryptedContent) => JsonElement.Parse(id is null
        ? $$"""{"type":"reasoning","summary":[],"encrypted_content":"{{encryptedContent}}"}"""
        : $$"""{"type":"reasoning","id":"{{id}}","summary":[],"encrypted_content":"{{encryptedContent}}"}""");

    /// <summary>A request that resends the whole history (no previous_response_id): user, the given output items, user.</summary>
    private static string FullResend(string model, bool store, params JsonElement[] items) =>
        $$"""
        {"model":"{{model}}","store":{{(store ? "true" : "false")}},"input":[
          {"type":"message","role":"user","content":"think"},
          {{string.Join(",", items.Select(item => item.GetRawText()))}},
          {"type":"message","role":"user","content":"and now?"}]}
        """;
}
