using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Protocol;
using Xunit.Abstractions;

namespace ResponsesWebSocket.Tests.Conversations;

/// <summary>The transcript turn codec: exact round trips, and never an exception (nor a wrong record) from damaged bytes.</summary>
public class TranscriptNodeCodecTests(ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static TheoryData<int> ResultSizes => new() { 200, 4096 };

    [Fact]
    public void A_tool_loop_turn_round_trips_exactly()
    {
        foreach (var node in new[] { TranscriptSamples.CallTurn(), TranscriptSamples.ResultTurn(4096) with { Store = true } })
        {
            TranscriptNodeCodec.TryDecode(TranscriptNodeCodec.Encode(node), out var decoded).Should().BeTrue();

            decoded!.ResponseId.Should().Be(node.ResponseId);
            decoded.ParentResponseId.Should().Be(node.ParentResponseId);
            decoded.Fingerprint.Should().Be(node.Fingerprint);
            decoded.Store.Should().Be(node.Store);
            decoded.Items.Should().HaveSameCount(node.Items);
            for (var i = 0; i < node.Items.Count; i++)
            {
                var (expected, actual) = (node.Items[i], decoded.Items[i]);
                actual.Kind.Should().Be(expected.Kind);
                actual.Json.Should().Equal(expected.Json);
                actual.Role.Should().Be(expected.Role);
                actual.CallId.Should().Be(expected.CallId);
                actual.Id.Should().Be(expected.Id);
            }
        }
    }

    [Fact]
    public void Absent_and_empty_strings_stay_distinct_and_every_kind_survives()
    {
        var items = Enum.GetValues<InputItemKind>()
            .Select(kind => new InputItem(kind, "{}"u8.ToArray(), role: kind == InputItemKind.Message ? "" : null, callId: "", id: null))
            .ToArray();
        var node = new TranscriptNodeData("resp_1", "", UInt128.MaxValue, Store: false, items);

        TranscriptNodeCodec.TryDecode(TranscriptNodeCodec.Encode(node), out var decoded).Should().BeTrue();

        decoded!.ParentResponseId.Should().BeEmpty();
        decoded.Fingerprint.Should().Be(UInt128.MaxValue);
        decoded.Items.Select(item => item.Kind).Should().Equal(Enum.GetValues<InputItemKind>());
        decoded.Items.Select(item => item.Role).Should().Equal(items.Select(item => item.Role));
        decoded.Items.Should().OnlyContain(item => item.CallId == "" && item.Id == null);
    }

    [Fact]
    public void Every_truncation_of_a_valid_payload_is_rejected()
    {
        var payload = TranscriptNodeCodec.Encode(TranscriptSamples.ResultTurn(200));

        for (var length = 0; length < payload.Length; length++)
        {
            TranscriptNodeCodec.TryDecode(payload.AsSpan(0, length), out var node).Should().BeFalse($"a payload cut to {length} of {payload.Length} bytes is incomplete");
            node.Should().BeNull();
        }

        TranscriptNodeCodec.TryDecode([.. payload, 0], out _).Should().BeFalse("trailing bytes are not part of any valid payload");
    }

    [Fact]
    public void Random_damage_never_throws_and_anything_accepted_is_a_well_formed_turn()
    {
        var valid = TranscriptNodeCodec.Encode(TranscriptSamples.CallTurn());
        var random = new Random(20261128);
        var accepted = 0;

        for (var round = 0; round < 20_000; round++)
        {
            var damaged = Damage(valid, random);
            bool ok;
            TranscriptNodeData? node;
            try
            {
                ok = TranscriptNodeCodec.TryDecode(damaged, out node);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"round {round}: TryDecode threw {ex.GetType().Name} on {Convert.ToHexString(damaged)}: {ex.Message}");
            }

            if (!ok) continue;
            accepted++;
            node!.ResponseId.Should().NotBeEmpty();
            node.Items.Should().OnlyContain(item => Enum.IsDefined(item.Kind) && IsOneObject(item.Json), $"round {round} was accepted");
        }

        output.WriteLine($"{accepted} of 20000 damaged payloads still decoded to a well-formed turn (changed text inside strings)");
    }

    [Theory]
    [InlineData("an unknown version", 0, (byte)2)]
    [InlineData("an unknown flag bit", 1 + 1 + 6 + 1 + 16, (byte)0b10)]
    [InlineData("a kind past the enum", 1 + 1 + 6 + 1 + 16 + 1 + 1, (byte)6)]
    public void A_payload_with_a_value_out_of_range_is_rejected(string what, int offset, byte value)
    {
        // resp_1, no parent, one item: the offsets above point at the version, the flags and the first item's kind.
        var payload = TranscriptNodeCodec.Encode(new TranscriptNodeData("resp_1", null, 7, false, [new InputItem(InputItemKind.Message, "{}"u8.ToArray())]));
        TranscriptNodeCodec.TryDecode(payload, out _).Should().BeTrue("the unmodified payload is valid");

        payload[offset] = value;

        TranscriptNodeCodec.TryDecode(payload, out _).Should().BeFalse(what);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":1}{\"b\":2}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":")]
    [InlineData("{\"a\":1,}")]
    [InlineData("")]
    public void Item_json_that_is_not_exactly_one_object_is_rejected(string json)
    {
        var node = new TranscriptNodeData("resp_1", null, 7, false, [new InputItem(InputItemKind.Other, Encoding.UTF8.GetBytes(json))]);

        TranscriptNodeCodec.TryDecode(TranscriptNodeCodec.Encode(node), out _).Should().BeFalse();
    }

    [Fact]
    public void Invalid_utf8_in_ids_or_in_item_json_is_rejected()
    {
        byte[] badJson = [.. "{\"text\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        var withBadJson = new TranscriptNodeData("resp_1", null, 7, false, [new InputItem(InputItemKind.Other, badJson)]);
        TranscriptNodeCodec.TryDecode(TranscriptNodeCodec.Encode(withBadJson), out _).Should().BeFalse("the item JSON is not UTF-8");

        var payload = TranscriptNodeCodec.Encode(new TranscriptNodeData("resp_1", null, 7, false, []));
        payload[2] = 0xFF; // the first byte of "resp_1"
        TranscriptNodeCodec.TryDecode(payload, out _).Should().BeFalse("the response id is not UTF-8");
    }

    [Fact]
    public void A_forged_item_count_or_length_is_rejected_without_allocating_for_it()
    {
        // version, "r", no parent, fingerprint, flags, then a count of int.MaxValue items in 5 bytes and nothing else.
        byte[] forgedCount = [1, 2, (byte)'r', 0, .. new byte[16], 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07];
        byte[] forgedLength = [1, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, (byte)'r'];
        byte[] overlongLength = [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        byte[][] forged = [forgedCount, forgedLength, overlongLength];
        foreach (var payload in forged) TranscriptNodeCodec.TryDecode(payload, out _); // first calls JIT-compile the decoder

        var before = GC.GetAllocatedBytesForCurrentThread();
        var results = (TranscriptNodeCodec.TryDecode(forgedCount, out _), TranscriptNodeCodec.TryDecode(forgedLength, out _), TranscriptNodeCodec.TryDecode(overlongLength, out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        results.Should().Be((false, false, false));
        // Only the one-letter response id before the forged count is ever allocated: nothing in proportion to what a length claims.
        allocated.Should().BeLessThan(100, "nothing is allocated before a length is checked against the bytes that are there");
    }

    [Theory]
    [MemberData(nameof(ResultSizes))]
    public void A_tool_turn_encodes_to_little_more_than_its_item_json(int resultBytes)
    {
        foreach (var node in new[] { TranscriptSamples.CallTurn(), TranscriptSamples.ResultTurn(resultBytes) })
        {
            var encoded = TranscriptNodeCodec.Encode(node).Length;
            var raw = TranscriptSamples.RawJsonBytes(node);
            var asJson = JsonSerializer.SerializeToUtf8Bytes(new
            {
                response_id = node.ResponseId,
                parent_response_id = node.ParentResponseId,
                fingerprint = node.Fingerprint.ToString(System.Globalization.CultureInfo.InvariantCulture),
                store = node.Store,
                items = node.Items.Select(item => new { kind = item.Kind.ToString(), role = item.Role, call_id = item.CallId, id = item.Id, json = JsonDocument.Parse(item.Json).RootElement }),
            }, RelaxedJson).Length;
            output.WriteLine($"{node.Items[0].Kind}+{node.Items[1].Kind} turn: encoded {encoded} B; item JSON alone {raw} B; the same turn as a JSON document {asJson} B");

            // Overhead over the item bytes themselves: ids, fingerprint and lengths, never a re-encoding of the JSON.
            (encoded - raw).Should().BeLessThan(200);
            encoded.Should().BeLessThan(asJson);
        }
    }

    private static byte[] Damage(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        for (var edits = random.Next(1, 5); edits > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes.RemoveAt(at); break;
                default: bytes.Insert(at, (byte)random.Next(256)); break;
            }

            if (bytes.Count == 0) break;
        }

        return [.. bytes];
    }

    private static bool IsOneObject(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
