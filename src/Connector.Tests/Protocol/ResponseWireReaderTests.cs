using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Protocol;

/// <summary>
/// The hand-written snapshot reader replaced the source-generated deserializer on every lifecycle event: it must read
/// every snapshot exactly as the serializer does, and reject what the serializer rejects.
/// </summary>
public class ResponseWireReaderTests
{
    public static TheoryData<string> Snapshots() =>
    [
        """{"id":"resp_1","object":"response","created_at":1765552659,"status":"in_progress","model":"m","output":[],"tools":[{"type":"function","name":"x","parameters":{"type":"object"}}],"usage":null,"error":null,"incomplete_details":null}""",
        """{"id":"resp_9","created_at":1765552659,"status":"incomplete","model":"m-1","incomplete_details":{"reason":"max_output_tokens","x":[1,{"y":2}]},"usage":{"input_tokens":10,"input_tokens_details":{"cached_tokens":4,"cache_write_tokens":2},"output_tokens":5,"output_tokens_details":{"reasoning_tokens":3},"total_tokens":15}}""",
        """{"id":"resp_2","status":"failed","error":{"type":"server_error","code":"rate_limit_exceeded","message":"slow down","param":null}}""",
        """{"id":"resp_3","status":"failed","error":{"code":429,"message":"numeric code"}}""",
        """{"id":"resp_4","status":"failed","error":{"code":{"nested":true},"message":"object code"}}""",
        """{"id":"resp_5","status":"failed","error":{"code":null,"message":null}}""",
        """{"id":"resp_6","created_at":"1765552659","usage":{"input_tokens":"10","output_tokens":"-2","total_tokens":null}}""",
        """{"id":"first","id":"second","model":"a","model":null}""",
        """{"\u0069d":"escaped name","Id":"other case","MODEL":"ignored"}""",
        """{}""",
        """{"usage":{"input_tokens_details":null,"output_tokens_details":{}}}""",
        """{"created_at":1.5}""",
        """{"created_at":"soon"}""",
        """{"created_at":99999999999999999999}""",
        """{"id":5}""",
        """{"id":{"a":1}}""",
        """{"error":"a string"}""",
        """{"usage":[1,2]}""",
        """{"usage":{"input_tokens":true}}""",
        """{"incomplete_details":{"reason":7}}""",
        """{"model":["m"]}""",
    ];

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void Reads_a_snapshot_exactly_as_the_serializer_does(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var expected = Outcome(() => JsonSerializer.Deserialize(utf8, ResponsesJsonContext.Default.ResponseWire));
        var actual = Outcome(() => ResponseWireReader.Read(utf8));

        actual.Should().Be(expected);
    }

    [Fact]
    public void A_completed_event_reads_its_snapshot_through_the_parser()
    {
        var evt = ServerEventParser.Parse("""{"type":"response.completed","response":{"id":"resp_1","model":"m","status":"completed","created_at":3,"usage":{"input_tokens":1,"output_tokens":2,"total_tokens":3}}}"""u8);

        evt.Response!.Id.Should().Be("resp_1");
        evt.Response.Usage!.TotalTokens.Should().Be(3);
        evt.Response.CreatedAt.Should().Be(3);
    }

    [Fact]
    public void Every_snapshot_of_a_response_reuses_the_previous_id_and_model_strings_and_a_known_status()
    {
        var created = ResponseWireReader.Read("""{"id":"resp_0123456789abcdef","model":"gpt-x","status":"in_progress"}"""u8);
        var completed = ResponseWireReader.Read("""{"id":"resp_0123456789abcdef","model":"gpt-x","status":"completed"}"""u8, created);
        var again = ResponseWireReader.Read("""{"id":"resp_0123456789abcdef","model":"gpt-x","status":"completed"}"""u8, completed);

        completed.Id.Should().BeSameAs(created.Id);
        completed.Model.Should().BeSameAs(created.Model);
        again.Status.Should().Be("completed").And.BeSameAs(completed.Status, "known statuses are not decoded anew");
    }

    [Theory]
    [MemberData(nameof(Snapshots))]
    public void A_previous_snapshot_with_other_values_changes_nothing(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        var previous = new ResponseWire { Id = "resp_other", Model = "other-model", Status = "weird" };

        Outcome(() => ResponseWireReader.Read(utf8, previous)).Should().Be(Outcome(() => ResponseWireReader.Read(utf8)));
        var same = new ResponseWire { Id = "first", Model = "m" };
        Outcome(() => ResponseWireReader.Read(utf8, same)).Should().Be(Outcome(() => JsonSerializer.Deserialize(utf8, ResponsesJsonContext.Default.ResponseWire)));
    }

    // What a caller can observe of a read: the snapshot as JSON, or that it failed (the parser turns every failure into a
    // JsonException, so the exception type does not matter here).
    private static string Outcome(Func<ResponseWire?> read)
    {
        try
        {
            return JsonSerializer.Serialize(read(), ResponsesJsonContext.Default.ResponseWire!);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            return "fails";
        }
    }
}
