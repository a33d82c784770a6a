using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Tests.Support;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ResponsesWebSocket.Tests.Conversations;

/// <summary>
/// <see cref="DistributedTranscriptStore"/> on two real <see cref="IDistributedCache"/> backends: a real Redis on loopback
/// (skipped with the reason when none is reachable) and the in-memory one. Every test writes under its own key prefix.
/// </summary>
public sealed class DistributedTranscriptStoreTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>, IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);
    private readonly string _prefix = $"rws-test-{Guid.NewGuid():N}:";
    private readonly List<string> _keyDirectories = [];

    [Fact]
    public Task A_turn_round_trips_in_memory() => RoundTrip(Memory());

    [RedisFact]
    public Task A_turn_round_trips_on_redis() => RoundTrip(redis.CreateCache());

    [Fact]
    public Task Scopes_are_independent_in_memory() => ScopesAreIndependent(Memory());

    [RedisFact]
    public Task Scopes_are_independent_on_redis() => ScopesAreIndependent(redis.CreateCache());

    [Fact]
    public Task A_value_copied_under_another_scopes_key_is_rejected_in_memory() => CopiedAcrossScopes(Memory());

    [RedisFact]
    public Task A_value_copied_under_another_scopes_key_is_rejected_on_redis() => CopiedAcrossScopes(redis.CreateCache());

    [Fact]
    public Task Corrupt_foreign_or_garbage_values_read_as_absent_in_memory() => BadValuesReadAsAbsent(Memory());

    [RedisFact]
    public Task Corrupt_foreign_or_garbage_values_read_as_absent_on_redis() => BadValuesReadAsAbsent(redis.CreateCache());

    [Fact]
    public async Task Every_truncation_and_random_damage_of_stored_values_reads_as_absent_or_as_the_entry_asked_for()
    {
        var cache = Memory();
        var store = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix });
        await store.SetAsync(Entry("tenant-a", "resp_1", "history-key"), Idle).AsTask().Bounded();
        var turnKey = Key('r', "tenant-a", "resp_1");
        var indexKey = Key('c', "tenant-a", "history-key");
        var turn = (await cache.GetAsync(turnKey).WaitAsync(Patience.Limit))!;
        var index = (await cache.GetAsync(indexKey).WaitAsync(Patience.Limit))!;
        var random = new Random(20261128);

        var damagedTurns = Enumerable.Range(0, turn.Length).Select(length => turn[..length])
            .Concat(Enumerable.Range(0, 2000).Select(_ => Mutate(turn, random)));
        foreach (var value in damagedTurns)
        {
            await cache.SetAsync(turnKey, value).WaitAsync(Patience.Limit);
            var read = await store.GetAsync("tenant-a", "resp_1").AsTask().Bounded();
            if (read is not null) (read.Scope, read.ResponseId).Should().Be(("tenant-a", "resp_1"));
        }

        var damagedIndexes = Enumerable.Range(0, index.Length).Select(length => index[..length])
            .Concat(Enumerable.Range(0, 2000).Select(_ => Mutate(index, random)));
        foreach (var value in damagedIndexes)
        {
            await cache.SetAsync(indexKey, value).WaitAsync(Patience.Limit);
            var found = await store.FindByContentKeyAsync("tenant-a", "history-key").AsTask().Bounded();
            found?.Should().NotBeEmpty();
        }
    }

    [Fact]
    public Task Protected_values_round_trip_and_another_key_cannot_read_them_in_memory() => Protection(Memory());

    [RedisFact]
    public Task Protected_values_round_trip_and_another_key_cannot_read_them_on_redis() => Protection(redis.CreateCache());

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Protect_and_Unprotect_come_together(bool protect, bool unprotect)
    {
        var options = new DistributedTranscriptStoreOptions
        {
            Protect = protect ? bytes => bytes : null,
            Unprotect = unprotect ? bytes => bytes : null,
        };

        var act = () => new DistributedTranscriptStore(Memory(), options);

        act.Should().Throw<ArgumentException>().WithMessage("*Protect*Unprotect*");
    }

    [RedisFact]
    public async Task Redis_keys_are_hashes_under_the_prefix_with_a_sliding_expiry_that_a_read_renews()
    {
        var cache = redis.CreateCache();
        var db = await redis.DatabaseAsync();
        var store = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix });
        await store.SetAsync(Entry("tenant-a", "resp_secret_id", "content-key-secret"), Idle).AsTask().Bounded();

        var keys = await Keys(db);
        keys.Should().BeEquivalentTo([Key('r', "tenant-a", "resp_secret_id"), Key('c', "tenant-a", "content-key-secret")]);
        keys.Should().OnlyContain(key => Regex.IsMatch(key, $"^{Regex.Escape(_prefix)}[rc]:[A-Za-z0-9_-]{{43}}$"))
            .And.NotContain(key => key.Contains("tenant", StringComparison.Ordinal) || key.Contains("secret", StringComparison.Ordinal));
        foreach (var key in keys)
        {
            var ttl = await db.KeyTimeToLiveAsync(key).WaitAsync(Patience.Limit);
            ttl.Should().NotBeNull().And.BeGreaterThan(Idle - TimeSpan.FromMinutes(1)).And.BeLessThanOrEqualTo(Idle, key);

            // Age the key on the server, then read it through the store: the sliding expiry starts again.
            (await db.KeyExpireAsync(key, TimeSpan.FromSeconds(30)).WaitAsync(Patience.Limit)).Should().BeTrue();
        }

        (await store.GetAsync("tenant-a", "resp_secret_id").AsTask().Bounded()).Should().NotBeNull();
        (await store.FindByContentKeyAsync("tenant-a", "content-key-secret").AsTask().Bounded()).Should().Be("resp_secret_id");
        foreach (var key in keys)
        {
            (await db.KeyTimeToLiveAsync(key).WaitAsync(Patience.Limit)).Should().BeGreaterThan(Idle - TimeSpan.FromMinutes(1), $"reading {key} renews it");
        }
    }

    [RedisFact]
    public async Task Bytes_written_to_redis_per_tool_turn_are_little_more_than_the_turn_itself()
    {
        var db = await redis.DatabaseAsync();
        var protector = Protector();
        var report = new StringBuilder();
        foreach (var resultBytes in new[] { 200, 4096 })
        {
            foreach (var isProtected in new[] { false, true })
            {
                var prefix = $"{_prefix}{resultBytes}-{isProtected}:";
                var store = new DistributedTranscriptStore(redis.CreateCache(), new DistributedTranscriptStoreOptions
                {
                    KeyPrefix = prefix,
                    Protect = isProtected ? protector.Protect : null,
                    Unprotect = isProtected ? protector.Unprotect : null,
                });
                foreach (var node in new[] { TranscriptSamples.CallTurn(), TranscriptSamples.ResultTurn(resultBytes) })
                {
                    var payload = TranscriptNodeCodec.Encode(node);
                    var contentKey = Base64Url.EncodeToString(SHA256.HashData(payload));
                    await store.SetAsync(new TranscriptEntry { Scope = "tenant-0042", ResponseId = node.ResponseId, ParentResponseId = node.ParentResponseId, ContentKey = contentKey, Payload = payload }, Idle)
                        .AsTask().Bounded();

                    // RedisCache keeps the value in the hash field "data" beside its expiry fields.
                    var turnValue = await db.HashStringLengthAsync(KeyUnder(prefix, 'r', "tenant-0042", node.ResponseId), "data").WaitAsync(Patience.Limit);
                    var indexValue = await db.HashStringLengthAsync(KeyUnder(prefix, 'c', "tenant-0042", contentKey), "data").WaitAsync(Patience.Limit);
                    var memory = (long)await db.ExecuteAsync("MEMORY", "USAGE", KeyUnder(prefix, 'r', "tenant-0042", node.ResponseId)).WaitAsync(Patience.Limit)
                        + (long)await db.ExecuteAsync("MEMORY", "USAGE", KeyUnder(prefix, 'c', "tenant-0042", contentKey)).WaitAsync(Patience.Limit);
                    report.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
                        $"{node.Items[0].Kind}+{node.Items[1].Kind} (result ~{resultBytes} B), {(isProtected ? "protected" : "plaintext")}: item JSON {TranscriptSamples.RawJsonBytes(node)} B, payload {payload.Length} B, turn value {turnValue} B + index value {indexValue} B; Redis MEMORY USAGE {memory} B");

                    turnValue.Should().BeGreaterThan(payload.Length).And.BeLessThan(payload.Length + (isProtected ? 400 : 200));
                    indexValue.Should().BeLessThan(isProtected ? 400 : 200);
                }
            }
        }

        output.WriteLine(report.ToString());
    }

    public void Dispose()
    {
        foreach (var directory in _keyDirectories)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    private async Task RoundTrip(IDistributedCache cache)
    {
        var store = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix });
        var entry = Entry("tenant-a", "resp_2", "key-2", parent: "resp_1");

        await store.SetAsync(entry, Idle).AsTask().Bounded();

        var read = await store.GetAsync("tenant-a", "resp_2").AsTask().Bounded();
        read.Should().NotBeNull();
        read!.Scope.Should().Be("tenant-a");
        read.ResponseId.Should().Be("resp_2");
        read.ParentResponseId.Should().Be("resp_1");
        read.ContentKey.Should().Be("key-2");
        read.Payload.ToArray().Should().Equal(entry.Payload.ToArray());
        TranscriptNodeCodec.TryDecode(read.Payload.Span, out var node).Should().BeTrue();
        node!.Items.Should().HaveCount(2);
        (await store.FindByContentKeyAsync("tenant-a", "key-2").AsTask().Bounded()).Should().Be("resp_2");

        (await store.GetAsync("tenant-a", "resp_3").AsTask().Bounded()).Should().BeNull();
        (await store.FindByContentKeyAsync("tenant-a", "key-3").AsTask().Bounded()).Should().BeNull();
        (await store.GetAsync("", "resp_2").AsTask().Bounded()).Should().BeNull("no scope is a scope of its own");

        // A second store on the same cache and prefix (another node) reads it too; another prefix does not.
        (await new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix }).GetAsync("tenant-a", "resp_2").AsTask().Bounded())
            .Should().NotBeNull();
        (await new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix + "x:" }).GetAsync("tenant-a", "resp_2").AsTask().Bounded())
            .Should().BeNull();
    }

    private async Task ScopesAreIndependent(IDistributedCache cache)
    {
        var store = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix });
        var a = Entry("tenant-a", "resp_same", "same-key", resultBytes: 200);
        var b = Entry("tenant-b", "resp_same", "same-key", resultBytes: 4096);

        await store.SetAsync(a, Idle).AsTask().Bounded();
        await store.SetAsync(b, Idle).AsTask().Bounded();
        await store.SetAsync(Entry("tenant-a", "resp_a2", "shared-history"), Idle).AsTask().Bounded();
        await store.SetAsync(Entry("tenant-b", "resp_b2", "shared-history"), Idle).AsTask().Bounded();

        (await store.GetAsync("tenant-a", "resp_same").AsTask().Bounded())!.Payload.ToArray().Should().Equal(a.Payload.ToArray());
        (await store.GetAsync("tenant-b", "resp_same").AsTask().Bounded())!.Payload.ToArray().Should().Equal(b.Payload.ToArray());
        (await store.FindByContentKeyAsync("tenant-a", "shared-history").AsTask().Bounded()).Should().Be("resp_a2");
        (await store.FindByContentKeyAsync("tenant-b", "shared-history").AsTask().Bounded()).Should().Be("resp_b2");
        (await store.FindByContentKeyAsync("tenant-c", "shared-history").AsTask().Bounded()).Should().BeNull();
    }

    private async Task CopiedAcrossScopes(IDistributedCache cache)
    {
        var store = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix });
        await store.SetAsync(Entry("tenant-a", "resp_1", "history-key"), Idle).AsTask().Bounded();
        var turn = await cache.GetAsync(Key('r', "tenant-a", "resp_1")).WaitAsync(Patience.Limit);
        var index = await cache.GetAsync(Key('c', "tenant-a", "history-key")).WaitAsync(Patience.Limit);
        turn.Should().NotBeNull("the turn is stored under the documented key");
        index.Should().NotBeNull("the content index is stored under the documented key");

        // Someone with write access to the cache replays tenant A's values under tenant B's keys.
        await cache.SetAsync(Key('r', "tenant-b", "resp_1"), turn!).WaitAsync(Patience.Limit);
        await cache.SetAsync(Key('c', "tenant-b", "history-key"), index!).WaitAsync(Patience.Limit);

        (await store.GetAsync("tenant-b", "resp_1").AsTask().Bounded()).Should().BeNull();
        (await store.FindByContentKeyAsync("tenant-b", "history-key").AsTask().Bounded()).Should().BeNull();
        (await store.GetAsync("tenant-a", "resp_1").AsTask().Bounded()).Should().NotBeNull("the original is untouched");
    }

    private async Task BadValuesReadAsAbsent(IDistributedCache cache)
    {
        var store = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix });
        var other = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix + "other:" });
        await store.SetAsync(Entry("s", "resp_1", "k1"), Idle).AsTask().Bounded();
        await other.SetAsync(Entry("s", "resp_9", "k9"), Idle).AsTask().Bounded();
        var valid = (await cache.GetAsync(Key('r', "s", "resp_1")).WaitAsync(Patience.Limit))!;
        var validIndex = (await cache.GetAsync(Key('c', "s", "k1")).WaitAsync(Patience.Limit))!;
        var foreignTurn = (await cache.GetAsync(KeyUnder(_prefix + "other:", 'r', "s", "resp_9")).WaitAsync(Patience.Limit))!;
        var random = new Random(8);
        var garbage = new byte[300];
        random.NextBytes(garbage);
        byte[] flipped = [.. valid];
        flipped[10] ^= 0x40;

        var turnValues = new (string What, byte[] Value)[]
        {
            ("garbage", garbage), ("empty", []), ("truncated", valid[..^1]), ("trailing byte", [.. valid, 0]),
            ("another prefix's turn for another id", foreignTurn), ("an index record", validIndex), ("a flipped bit in the scope", flipped),
            ("plain text", "resp_1"u8.ToArray()),
        };
        foreach (var (what, value) in turnValues)
        {
            await cache.SetAsync(Key('r', "s", "resp_1"), value).WaitAsync(Patience.Limit);
            (await store.GetAsync("s", "resp_1").AsTask().Bounded()).Should().BeNull(what);
        }

        var indexValues = new (string What, byte[] Value)[] { ("garbage", garbage), ("a turn", valid), ("truncated", validIndex[..^1]) };
        foreach (var (what, value) in indexValues)
        {
            await cache.SetAsync(Key('c', "s", "k1"), value).WaitAsync(Patience.Limit);
            (await store.FindByContentKeyAsync("s", "k1").AsTask().Bounded()).Should().BeNull(what);
        }
    }

    private async Task Protection(IDistributedCache cache)
    {
        var protector = Protector();
        var options = new DistributedTranscriptStoreOptions { KeyPrefix = _prefix, Protect = protector.Protect, Unprotect = protector.Unprotect };
        var store = new DistributedTranscriptStore(cache, options);
        var entry = Entry("tenant-a", "resp_1", "history-key");

        await store.SetAsync(entry, Idle).AsTask().Bounded();

        (await store.GetAsync("tenant-a", "resp_1").AsTask().Bounded())!.Payload.ToArray().Should().Equal(entry.Payload.ToArray());
        (await store.FindByContentKeyAsync("tenant-a", "history-key").AsTask().Bounded()).Should().Be("resp_1");
        var atRest = (await cache.GetAsync(Key('r', "tenant-a", "resp_1")).WaitAsync(Patience.Limit))!;
        Contains(atRest, "take an umbrella").Should().BeFalse("a protected value holds no plaintext");
        Contains(atRest, "tenant-a").Should().BeFalse();

        // Another application's keys (another key ring) cannot read it, and neither can a store without the protector.
        var stranger = Protector();
        var withOtherKey = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix, Protect = stranger.Protect, Unprotect = stranger.Unprotect });
        (await withOtherKey.GetAsync("tenant-a", "resp_1").AsTask().Bounded()).Should().BeNull();
        (await withOtherKey.FindByContentKeyAsync("tenant-a", "history-key").AsTask().Bounded()).Should().BeNull();
        (await new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix }).GetAsync("tenant-a", "resp_1").AsTask().Bounded())
            .Should().BeNull();

        // And a plaintext value planted under the key is not accepted by the protected store.
        var plain = new DistributedTranscriptStore(cache, new DistributedTranscriptStoreOptions { KeyPrefix = _prefix });
        await plain.SetAsync(Entry("tenant-a", "resp_2", null), Idle).AsTask().Bounded();
        Contains((await cache.GetAsync(Key('r', "tenant-a", "resp_2")).WaitAsync(Patience.Limit))!, "take an umbrella")
            .Should().BeTrue("without a protector the cache holds plaintext");
        (await store.GetAsync("tenant-a", "resp_2").AsTask().Bounded()).Should().BeNull();
    }

    private static TranscriptEntry Entry(string scope, string responseId, string? contentKey, string? parent = null, int resultBytes = 200)
    {
        var node = TranscriptSamples.ResultTurn(resultBytes) with { ResponseId = responseId, ParentResponseId = parent };
        return new TranscriptEntry { Scope = scope, ResponseId = responseId, ParentResponseId = parent, ContentKey = contentKey, Payload = TranscriptNodeCodec.Encode(node) };
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        byte[] bytes = [.. valid];
        for (var edits = random.Next(1, 4); edits > 0; edits--) bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
        return bytes;
    }

    private static MemoryDistributedCache Memory() => new(Options.Create(new MemoryDistributedCacheOptions()));

    /// <summary>A real ASP.NET Core Data Protection protector with its own key ring in a temp folder.</summary>
    private IDataProtector Protector()
    {
        var directory = Directory.CreateTempSubdirectory("rws-keys-");
        _keyDirectories.Add(directory.FullName);
        return DataProtectionProvider.Create(directory).CreateProtector("ResponsesWebSocket.Transcripts");
    }

    private string Key(char kind, string scope, string name) => KeyUnder(_prefix, kind, scope, name);

    /// <summary>The documented key, computed here independently: prefix, kind, base64url(SHA-256(len(scope) ‖ scope ‖ 0 ‖ name)).</summary>
    private static string KeyUnder(string prefix, char kind, string scope, string name)
    {
        var scopeBytes = Encoding.UTF8.GetBytes(scope);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, scopeBytes.Length);
        byte[] input = [.. length, .. scopeBytes, 0, .. Encoding.UTF8.GetBytes(name)];
        return $"{prefix}{kind}:{Base64Url.EncodeToString(SHA256.HashData(input))}";
    }

    private async Task<List<string>> Keys(IDatabase db)
    {
        var result = (RedisResult[])(await db.ExecuteAsync("KEYS", _prefix + "*").WaitAsync(Patience.Limit))!;
        return [.. result.Select(key => (string)key!)];
    }

    private static bool Contains(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
