using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Testing;
using static ResponsesWebSocket.Tests.Testing.RawSocket;

namespace ResponsesWebSocket.Tests.Testing;

/// <summary>
/// <c>response.usage</c> on terminal events: the current spec requires <c>input_tokens_details.cache_write_tokens</c>
/// next to <c>cached_tokens</c>; what is read from the cache on a chained turn is not written again.
/// </summary>
public sealed class UsageTests
{
    [Fact]
    public async Task A_first_turn_writes_its_whole_input_and_a_chained_turn_reads_the_chain_from_the_cache()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var socket = await ConnectAsync(server);

        var first = await CompleteAsync(socket, """{"store":false,"instructions":"Be brief.","input":"the first question, with some words"}""");
        var (input1, cached1, written1) = InputDetails(first);
        cached1.Should().Be(0);
        written1.Should().Be(input1).And.BePositive();

        var chained = await CompleteAsync(socket, $$"""{"store":false,"instructions":"Be brief.","previous_response_id":"{{ResponseId(first)}}","input":"and one more"}""");
        var (input2, cached2, written2) = InputDetails(chained);
        cached2.Should().BePositive().And.BeLessThan(input2);
        written2.Should().Be(input2 - cached2, "tokens read from the cache are not written again");
        input2.Should().BeGreaterThan(input1, "the chained turn's prompt holds the whole chain");
    }

    [Fact]
    public async Task Warmups_incomplete_responses_and_stored_continuations_on_a_new_socket_all_report_cache_writes()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        server.Model.Enqueue(new ScriptedReply { Text = "cut off", IncompleteReason = "max_output_tokens" });
        using var socket = await ConnectAsync(server);

        var incomplete = await CompleteAsync(socket, """{"store":true,"input":"long answer please"}""");
        Type(incomplete).Should().Be("response.incomplete");
        InputDetails(incomplete).Written.Should().Be(InputDetails(incomplete).Input);

        var warmup = await CompleteAsync(socket, """{"store":false,"generate":false,"input":"prepare"}""");
        warmup.GetProperty("response").GetProperty("output").GetArrayLength().Should().Be(0);
        InputDetails(warmup).Written.Should().Be(InputDetails(warmup).Input).And.BePositive();

        // Hydrated from the store on another socket: no connection-local cache, so nothing is read from it.
        using var other = await ConnectAsync(server);
        var hydrated = await CompleteAsync(other, $$"""{"store":true,"previous_response_id":"{{ResponseId(incomplete)}}","input":"go on"}""");
        InputDetails(hydrated).Cached.Should().Be(0);
        InputDetails(hydrated).Written.Should().Be(InputDetails(hydrated).Input);
    }

    [Fact]
    public async Task Non_streaming_http_responses_carry_cache_write_tokens_too()
    {
        await using var server = await LocalResponsesServer.StartAsync();
        using var http = new HttpClient();
        using var content = new StringContent("""{"input":"hello"}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

        using var response = await http.PostAsync(server.BaseUri + "/responses", content).WaitAsync(TimeSpan.FromSeconds(30));
        var body = JsonElement.Parse(await response.Content.ReadAsStringAsync());

        var details = body.GetProperty("usage").GetProperty("input_tokens_details");
        details.GetProperty("cache_write_tokens").GetInt32().Should().Be(body.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        details.GetProperty("cached_tokens").GetInt32().Should().Be(0);
    }

    private static (int Input, int Cached, int Written) InputDetails(JsonElement terminal)
    {
        var usage = terminal.GetProperty("response").GetProperty("usage");
        var details = usage.GetProperty("input_tokens_details");
        return (usage.GetProperty("input_tokens").GetInt32(), details.GetProperty("cached_tokens").GetInt32(), details.GetProperty("cache_write_tokens").GetInt32());
    }

    private static async Task<JsonElement> CompleteAsync(RawSocket socket, string fields)
    {
        await socket.SendAsync(Create(fields));
        return (await socket.ReadUntilTerminalsAsync([null]))[^1];
    }
}
