using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.DependencyInjection;

/// <summary>
/// A transcript store registered in the container reaches the registered clients (keyed ones prefer their own key's),
/// never over a store set in the options; and AddResponsesWebSocketTranscriptStore puts a DistributedTranscriptStore over
/// the container's IDistributedCache (a real MemoryDistributedCache here) with the options it was given.
/// </summary>
public class TranscriptStoreRegistrationTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_registered_store_is_used_when_the_options_set_none()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddResponsesWebSocketTranscriptStore();
        services.AddResponsesWebSocketChatClient(Local);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        var registered = provider.GetRequiredService<ITranscriptStore>();

        registered.Should().BeOfType<DistributedTranscriptStore>();
        provider.GetRequiredService<IOptions<ResponsesWebSocketChatClientOptions>>().Value.TranscriptStore.Should().BeSameAs(registered);
        provider.GetRequiredService<IOptionsMonitor<ResponsesWebSocketChatClientOptions>>().CurrentValue.TranscriptStore.Should().BeSameAs(registered);
    }

    [Fact]
    public async Task A_store_set_in_the_options_wins_over_the_registered_one()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddResponsesWebSocketTranscriptStore();
        var own = StoreOverItsOwnCache();
        services.AddResponsesWebSocketChatClient(o =>
        {
            Local(o);
            o.TranscriptStore = own;
        });
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<ResponsesWebSocketChatClientOptions>>().Value.TranscriptStore.Should().BeSameAs(own);
    }

    [Fact]
    public async Task Without_a_registered_store_transcripts_stay_in_memory_only()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache(); // a cache alone is not a transcript store
        services.AddResponsesWebSocketChatClient(Local);
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<ResponsesWebSocketChatClientOptions>>().Value.TranscriptStore.Should().BeNull();
        provider.GetRequiredService<ResponsesWebSocketChatClient>().Should().NotBeNull();
    }

    [Fact]
    public async Task Keyed_clients_prefer_the_store_under_their_own_key_then_the_unkeyed_one()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddResponsesWebSocketTranscriptStore();
        var tenantStore = StoreOverItsOwnCache();
        services.AddKeyedSingleton<ITranscriptStore>("tenant", tenantStore);
        services.AddKeyedResponsesWebSocketChatClient("tenant", Local);
        services.AddKeyedResponsesWebSocketChatClient("shared", Local);
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<IOptionsMonitor<ResponsesWebSocketChatClientOptions>>();

        monitor.Get("tenant").TranscriptStore.Should().BeSameAs(tenantStore);
        monitor.Get("shared").TranscriptStore.Should().BeSameAs(provider.GetRequiredService<ITranscriptStore>());
        provider.GetRequiredService<ITranscriptStore>().Should().NotBeSameAs(tenantStore);
    }

    [Fact]
    public async Task The_registered_store_writes_to_the_containers_cache_with_the_configured_key_prefix()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddResponsesWebSocketTranscriptStore(o => o.KeyPrefix = "app-1:");
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<IDistributedCache>();

        await provider.GetRequiredService<ITranscriptStore>().SetAsync(Entry("resp_1"), Idle).AsTask().Bounded();

        // Another store over the same cache finds the turn only under the same prefix: the options reached the store.
        (await new DistributedTranscriptStore(cache, new() { KeyPrefix = "app-1:" }).GetAsync("", "resp_1").AsTask().Bounded()).Should().NotBeNull();
        (await new DistributedTranscriptStore(cache).GetAsync("", "resp_1").AsTask().Bounded()).Should().BeNull("the default prefix is another key");
    }

    [Fact]
    public async Task The_registered_store_protects_values_with_the_configured_protector()
    {
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddResponsesWebSocketTranscriptStore(o =>
        {
            o.Protect = Reversed;
            o.Unprotect = Reversed;
        });
        await using var provider = services.BuildServiceProvider();
        var cache = provider.GetRequiredService<IDistributedCache>();
        var store = provider.GetRequiredService<ITranscriptStore>();

        await store.SetAsync(Entry("resp_1"), Idle).AsTask().Bounded();

        (await store.GetAsync("", "resp_1").AsTask().Bounded()).Should().NotBeNull();
        (await new DistributedTranscriptStore(cache).GetAsync("", "resp_1").AsTask().Bounded())
            .Should().BeNull("the value in the cache is the protected form, which a store without the protector cannot read");
    }

    [Fact]
    public void Resolving_the_store_without_a_distributed_cache_names_the_missing_service()
    {
        var services = new ServiceCollection();
        services.AddResponsesWebSocketTranscriptStore();
        using var provider = services.BuildServiceProvider();

        var resolve = () => provider.GetRequiredService<ITranscriptStore>();

        resolve.Should().Throw<InvalidOperationException>().WithMessage("*IDistributedCache*");
    }

    // Stands in for a real protector (Data Protection is covered by DistributedTranscriptStoreTests): its own inverse.
    private static byte[] Reversed(byte[] value) => [.. value.Reverse()];

    private static DistributedTranscriptStore StoreOverItsOwnCache() =>
        new(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));

    private static TranscriptEntry Entry(string responseId) => new()
    {
        Scope = "",
        ResponseId = responseId,
        Payload = "{\"type\":\"message\"}"u8.ToArray(),
    };

    private static void Local(ResponsesWebSocketChatClientOptions options)
    {
        // Never connected in these tests: the client is only built.
        options.Endpoint = new Uri("http://127.0.0.1:9/v1");
        options.ApiKey = "test-key";
        options.Model = "local-model";
    }
}
