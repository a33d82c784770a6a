using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>
/// Seeded mutations of a response stream: truncation, flipped types, wrong value types, huge numbers, deep nesting,
/// invalid UTF-8, lone surrogates, duplicate and missing terminals, foreign ids, reordering, oversized, binary and
/// garbage frames. The same <see cref="Random"/> seed always yields the same stream.
/// </summary>
internal sealed class FrameMutator
{
    // Serialized as a JSON string, then replaced textually: lets a mutation write JSON that JsonNode cannot hold.
    private const string Placeholder = "__fuzz_raw_7f3a__";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly string[] Types =
    [
        "response.created", "response.in_progress", "response.queued", "response.output_item.added", "response.output_item.done",
        "response.content_part.added", "response.content_part.done", "response.output_text.delta", "response.output_text.done",
        "response.output_text.annotation.added", "response.refusal.delta", "response.refusal.done",
        "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.reasoning_summary_part.added",
        "response.reasoning_summary_text.delta", "response.reasoning_text.delta", "response.completed", "response.incomplete",
        "response.failed", "response.cancelled", "response.done", "error", "", "response.", "RESPONSE.COMPLETED", "codex.rate_limits",
    ];

    private static readonly string[] RawValues =
    [
        "1e308", "-1e308", "1e400", "18446744073709551616", "9223372036854775808", "-9223372036854775809", "2147483648", "-1",
        "0.5", "1.5e-300", "123456789012345678901234567890", "-0", "true", "null", "{}", "[]", "\"\\ud800\"", "\"\\udfff\"",
        "\"\\ud800\\u0041\"", "\"\\u0000\"", "\"\"", "[[[[[[[[]]]]]]]]", "{\"a\":{\"b\":{\"c\":null}}}",
    ];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC3, 0x28], [0xFF], [0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xFE, 0xFE],
    ];

    private static readonly string[] IdFields = ["id", "item_id", "response_id", "call_id"];

    private readonly Random _random;
    private readonly IReadOnlyList<FuzzSeed> _corpus;
    private readonly int _maxMessageSize;
    private readonly (string Name, Func<List<FuzzFrame>, bool> Apply)[] _operators;
    private readonly Dictionary<string, string> _raw = [];

    public FrameMutator(Random random, IReadOnlyList<FuzzSeed> corpus, int maxMessageSize)
    {
        _random = random;
        _corpus = corpus;
        _maxMessageSize = maxMessageSize;
        _operators =
        [
            ("truncate-stream", TruncateStream),
            ("truncate-frame", TruncateFrame),
            ("drop-frame", DropFrame),
            ("flip-type", FlipType),
            ("wrong-value-type", WrongValueType),
            ("huge-number", HugeNumber),
            ("deep-nesting", DeepNesting),
            ("invalid-utf8", InsertInvalidUtf8),
            ("lone-surrogate", LoneSurrogate),
            ("duplicate-frame", DuplicateFrame),
            ("duplicate-terminal", DuplicateTerminal),
            ("remove-terminal", RemoveTerminal),
            ("foreign-id", ForeignId),
            ("reorder", Reorder),
            ("inject-foreign-frame", InjectForeignFrame),
            ("oversize", Oversize),
            ("binary", MakeBinary),
            ("garbage-frame", GarbageFrame),
            ("null-object", NullObject),
        ];
    }

    /// <summary>Applies one to three mutations to a copy of <paramref name="seed"/>; returns the frames and what was done.</summary>
    public (List<FuzzFrame> Frames, List<string> Applied) Mutate(FuzzSeed seed)
    {
        var frames = seed.Frames.Select(f => new FuzzFrame(f)).ToList();
        var applied = new List<string>();
        var count = 1 + _random.Next(3);
        for (var attempts = 0; applied.Count < count && attempts < 20; attempts++)
        {
            var (name, apply) = _operators[_random.Next(_operators.Length)];
            try
            {
                if (apply(frames)) applied.Add(name);
            }
            catch (InvalidOperationException)
            {
                // JsonNode decodes names lazily and chokes on what earlier mutations wrote; the frames are unchanged
                // (every operator edits them last), so another operator is tried.
                _raw.Clear();
            }
        }

        return (frames, applied);
    }

    private bool TruncateStream(List<FuzzFrame> frames)
    {
        if (frames.Count == 0) return false;
        var cut = _random.Next(frames.Count);
        frames.RemoveRange(cut, frames.Count - cut);
        return true;
    }

    private bool TruncateFrame(List<FuzzFrame> frames)
    {
        if (frames.Count == 0) return false;
        var index = _random.Next(frames.Count);
        var bytes = frames[index].Bytes;
        frames[index] = frames[index] with { Bytes = bytes[.._random.Next(bytes.Length + 1)] };
        return true;
    }

    private bool DropFrame(List<FuzzFrame> frames)
    {
        if (frames.Count == 0) return false;
        frames.RemoveAt(_random.Next(frames.Count));
        return true;
    }

    private bool FlipType(List<FuzzFrame> frames) => EditJson(frames, root =>
    {
        if (root is not JsonObject obj) return false;
        obj["type"] = _random.Next(4) == 0 ? RawNode(RawValues[_random.Next(RawValues.Length)]) : JsonValue.Create(Types[_random.Next(Types.Length)]);
        return true;
    });

    private bool WrongValueType(List<FuzzFrame> frames) => EditJson(frames, root =>
    {
        var slots = JsonTree.Slots(root);
        if (slots.Count == 0) return false;
        var (parent, key, index) = slots[_random.Next(slots.Count)];
        JsonTree.Set(parent, key, index, _random.Next(6) switch
        {
            0 => JsonValue.Create(_random.Next(-5, 100)),
            1 => JsonValue.Create(_random.Next(2) == 0),
            2 => null,
            3 => JsonValue.Create("fuzz"),
            4 => new JsonObject { ["fuzz"] = 1 },
            _ => new JsonArray(1, "two", null),
        });
        return true;
    });

    private bool HugeNumber(List<FuzzFrame> frames) => EditJson(frames, root =>
    {
        var slots = JsonTree.Slots(root);
        if (slots.Count == 0) return false;
        var (parent, key, index) = slots[_random.Next(slots.Count)];
        JsonTree.Set(parent, key, index, RawNode(RawValues[_random.Next(12)]));
        return true;
    });

    private bool DeepNesting(List<FuzzFrame> frames) => EditJson(frames, root =>
    {
        var slots = JsonTree.Slots(root);
        if (slots.Count == 0) return false;
        int[] depths = [63, 64, 65, 255, 256, 257, 1000, 5000];
        var depth = depths[_random.Next(depths.Length)];
        var (parent, key, index) = slots[_random.Next(slots.Count)];
        var nested = _random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
        JsonTree.Set(parent, key, index, RawNode(nested));
        return true;
    });

    private bool InsertInvalidUtf8(List<FuzzFrame> frames)
    {
        if (frames.Count == 0) return false;
        var index = _random.Next(frames.Count);
        var bytes = frames[index].Bytes;

        // Mostly inside a string value (after a quote), sometimes anywhere.
        var quotes = Enumerable.Range(0, bytes.Length).Where(i => bytes[i] == (byte)'"').ToList();
        var at = quotes.Count > 0 && _random.Next(4) != 0 ? quotes[_random.Next(quotes.Count)] + 1 : _random.Next(bytes.Length + 1);
        frames[index] = frames[index] with { Bytes = [.. bytes[..at], .. InvalidUtf8[_random.Next(InvalidUtf8.Length)], .. bytes[at..]] };
        return true;
    }

    private bool LoneSurrogate(List<FuzzFrame> frames) => EditJson(frames, root =>
    {
        var strings = JsonTree.Slots(root).Where(s => JsonTree.Get(s) is JsonValue v && v.GetValueKind() == JsonValueKind.String).ToList();
        if (strings.Count == 0) return false;
        var (parent, key, index) = strings[_random.Next(strings.Count)];
        JsonTree.Set(parent, key, index, RawNode(_random.Next(2) == 0 ? "\"\\ud800\"" : "\"ok\\udc00tail\""));
        return true;
    });

    private bool DuplicateFrame(List<FuzzFrame> frames)
    {
        if (frames.Count == 0) return false;
        frames.Insert(_random.Next(frames.Count + 1), frames[_random.Next(frames.Count)]);
        return true;
    }

    private bool DuplicateTerminal(List<FuzzFrame> frames)
    {
        var terminal = frames.FindLastIndex(JsonTree.IsTerminal);
        if (terminal < 0) return false;
        frames.Insert(_random.Next(frames.Count + 1), frames[terminal]);
        return true;
    }

    private bool RemoveTerminal(List<FuzzFrame> frames) => frames.RemoveAll(JsonTree.IsTerminal) > 0;

    private bool ForeignId(List<FuzzFrame> frames) => EditJson(frames, root =>
    {
        var ids = JsonTree.Slots(root).Where(s => s.Key is { } k && IdFields.Contains(k)).ToList();
        if (ids.Count == 0) return false;
        var (parent, key, index) = ids[_random.Next(ids.Count)];
        JsonTree.Set(parent, key, index, JsonValue.Create(_random.Next(3) switch
        {
            0 => "resp_foreign_" + _random.Next(1000),
            1 => ForeignIdFromCorpus() ?? "msg_foreign",
            _ => string.Empty,
        }));
        return true;
    });

    private bool Reorder(List<FuzzFrame> frames)
    {
        if (frames.Count < 2) return false;
        if (_random.Next(2) == 0)
        {
            var (a, b) = (_random.Next(frames.Count), _random.Next(frames.Count));
            (frames[a], frames[b]) = (frames[b], frames[a]);
        }
        else
        {
            // The terminal (or any frame) moved earlier.
            var from = frames.FindLastIndex(JsonTree.IsTerminal) is var t && t >= 0 ? t : _random.Next(frames.Count);
            var frame = frames[from];
            frames.RemoveAt(from);
            frames.Insert(_random.Next(frames.Count + 1), frame);
        }

        return true;
    }

    private bool InjectForeignFrame(List<FuzzFrame> frames)
    {
        var other = _corpus[_random.Next(_corpus.Count)];
        if (other.Frames.Count == 0) return false;
        frames.Insert(_random.Next(frames.Count + 1), new FuzzFrame(other.Frames[_random.Next(other.Frames.Count)]));
        return true;
    }

    private bool Oversize(List<FuzzFrame> frames)
    {
        // Around the limit on both sides, so the exact bound is exercised.
        var size = _maxMessageSize + _random.Next(-64, 64);
        var prefix = "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_big\",\"output_index\":0,\"delta\":\""u8.ToArray();
        var body = new byte[Math.Max(0, size - prefix.Length - 2)];
        body.AsSpan().Fill((byte)'x');
        frames.Insert(_random.Next(frames.Count + 1), new FuzzFrame([.. prefix, .. body, (byte)'"', (byte)'}']));
        return true;
    }

    private bool MakeBinary(List<FuzzFrame> frames)
    {
        if (frames.Count == 0) return false;
        var index = _random.Next(frames.Count);
        frames[index] = frames[index] with { Binary = true };
        return true;
    }

    private bool GarbageFrame(List<FuzzFrame> frames)
    {
        byte[] garbage = _random.Next(4) switch
        {
            0 => [],
            1 => "   "u8.ToArray(),
            2 => "[{\"type\":\"response.completed\"}]"u8.ToArray(),
            _ => RandomBytes(),
        };
        frames.Insert(_random.Next(frames.Count + 1), new FuzzFrame(garbage));
        return true;
    }

    private bool NullObject(List<FuzzFrame> frames) => EditJson(frames, root =>
    {
        var objects = JsonTree.Slots(root).Where(s => JsonTree.Get(s) is JsonObject or JsonArray).ToList();
        if (objects.Count == 0) return false;
        var (parent, key, index) = objects[_random.Next(objects.Count)];
        JsonTree.Set(parent, key, index, _random.Next(2) == 0 ? null : JsonValue.Create("not an object"));
        return true;
    });

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(1, 64)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private string? ForeignIdFromCorpus()
    {
        var other = _corpus[_random.Next(_corpus.Count)];
        foreach (var frame in other.Frames.OrderBy(_ => _random.Next()))
        {
            if (JsonTree.TryParse(frame) is JsonObject obj && JsonTree.StringOf(obj["item_id"] ?? JsonTree.AsObject(obj["response"])?["id"] ?? JsonTree.AsObject(obj["item"])?["id"]) is { } id)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>Edits one random frame that parses as JSON; false when none does or the edit found nothing to change.</summary>
    private bool EditJson(List<FuzzFrame> frames, Func<JsonNode, bool> edit)
    {
        var candidates = Enumerable.Range(0, frames.Count).Where(i => !frames[i].Binary).OrderBy(_ => _random.Next()).ToList();
        foreach (var index in candidates)
        {
            if (JsonTree.TryParse(frames[index].Bytes) is not { } root || !edit(root)) continue;
            string json;
            try
            {
                json = root.ToJsonString(Relaxed);
            }
            catch (InvalidOperationException)
            {
                // Deeper than the writer allows (an earlier deep-nesting mutation): leave the frame as it is.
                _raw.Clear();
                continue;
            }

            frames[index] = frames[index] with { Bytes = Encoding.UTF8.GetBytes(ReplacePlaceholders(json)) };
            return true;
        }

        return false;
    }

    private JsonValue RawNode(string rawJson)
    {
        var key = Placeholder + _raw.Count;
        _raw[key] = rawJson;
        return JsonValue.Create(key);
    }

    private string ReplacePlaceholders(string json)
    {
        foreach (var (key, raw) in _raw) json = json.Replace("\"" + key + "\"", raw, StringComparison.Ordinal);
        _raw.Clear();
        return json;
    }
}
