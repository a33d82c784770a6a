using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponsesWebSocket.Tests.Support;
using StackExchange.Redis;

namespace ResponsesWebSocket.Tests.DependencyInjection;

/// <summary>
/// A transcript store registered in the container reaches the registered clients (keyed ones prefer their own key's),
/// never over a store set in the options; and AddResponsesWebSocketTranscriptStore puts a DistributedTranscriptStore over
/// the container's IDistributedCache (a real MemoryDistributedCache, or a real Redis) with the options it was given.
/// The README's registrations (Redis with Data Protection; the conversation scope from the signed-in user) run here as
/// written there.
/// </summary>
public class TranscriptStoreRegistrationTests(RedisFixture redis) : IClassFixture<RedisFixture>
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

    [Fact]
    public async Task The_registered_store_receives_every_completed_response_of_the_registered_client()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddResponsesWebSocketTranscriptStore();
        services.AddResponsesWebSocketChatClient(o => Point(o, fixture));
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<ITranscriptStore>();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hello").Bounded();

        response.ResponseId.Should().NotBeNull();
        (await store.GetAsync("", response.ResponseId!).AsTask().Bounded()).Should().NotBeNull("the client wrote its turn to the container's store");
    }

    [RedisFact]
    public async Task Two_hosts_registered_as_the_readme_shows_continue_one_conversation_through_redis_without_plaintext_in_it()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var prefix = $"rws-di-{Guid.NewGuid():N}:";
        var keyRing = new EphemeralDataProtectionProvider(); // one key ring shared by the farm, as a real one would be
        var sentByB = new List<ResponsesRequestInfo>();
        await using var hostA = BuildHost(fixture, prefix, keyRing, sentByB: null);
        await using var hostB = BuildHost(fixture, prefix, keyRing, sentByB);

        var first = await hostA.GetRequiredService<IChatClient>().GetResponseAsync("my secret plan").Bounded();
        var second = await hostB.GetRequiredService<IChatClient>()
            .GetResponseAsync("and then?", new ChatOptions { ConversationId = first.ConversationId }).Bounded();

        second.Text.Should().Be("You said: and then?");
        sentByB.Select(s => s.Status).Should().Equal(ChainStatus.NotCachedOnSocket);
        fixture.Server.Requests[^1].InputItemTypes.Should().Equal(["message", "message", "message"], "host B rebuilt host A's turn from Redis");

        var db = await redis.DatabaseAsync();
        var keys = (RedisResult[])(await db.ExecuteAsync("KEYS", prefix + "*").WaitAsync(Patience.Limit))!;
        keys.Should().HaveCount(4, "a turn and its content index per response");
        foreach (var key in keys)
        {
            var value = (byte[]?)await db.HashGetAsync((string)key!, "data").WaitAsync(Patience.Limit);
            value.Should().NotBeNull();
            Encoding.UTF8.GetString(value!).Should().NotContain("secret", "values are protected with Data Protection");
        }
    }

    [Fact]
    public async Task The_readme_scope_middleware_keeps_each_signed_in_users_conversations_to_that_user()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var services = new ServiceCollection();
        services.AddDistributedMemoryCache();
        services.AddResponsesWebSocketTranscriptStore();

        // As in README "Conversation scopes".
        var httpContextAccessor = new HttpContextAccessor();
        services.AddSingleton<IHttpContextAccessor>(httpContextAccessor);
        services.AddResponsesWebSocketChatClient(o => Point(o, fixture))
            .UseFunctionInvocation()
            .Use((messages, options, next, cancellationToken) =>
            {
                options = options?.Clone() ?? new ChatOptions();
                options.AdditionalProperties ??= [];
                options.AdditionalProperties["conversation_scope"] = httpContextAccessor.HttpContext?.User.Identity?.Name;
                return next(messages, options, cancellationToken);
            });
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();
        var store = provider.GetRequiredService<ITranscriptStore>();

        httpContextAccessor.HttpContext = SignedIn("alice");
        var alices = await chat.GetResponseAsync("hello").Bounded();
        httpContextAccessor.HttpContext = SignedIn("bob");
        var bobContinuingAlices = () => chat.GetResponseAsync("and then?", new ChatOptions { ConversationId = alices.ConversationId }).Bounded();

        (await store.GetAsync("alice", alices.ResponseId!).AsTask().Bounded()).Should().NotBeNull();
        (await store.GetAsync("", alices.ResponseId!).AsTask().Bounded()).Should().BeNull("the turn is stored under alice's scope only");
        (await bobContinuingAlices.Should().ThrowAsync<ResponsesException>()).Which.Kind.Should().Be(ResponsesErrorKind.UnknownConversation);
        httpContextAccessor.HttpContext = SignedIn("alice");
        (await chat.GetResponseAsync("and then?", new ChatOptions { ConversationId = alices.ConversationId }).Bounded()).Text.Should().Be("You said: and then?");
    }

    private ServiceProvider BuildHost(ServerFixture fixture, string prefix, IDataProtectionProvider keyRing, List<ResponsesRequestInfo>? sentByB)
    {
        // As in README "Conversations across restarts and nodes" (a test key ring and key prefix instead of the app's).
        var services = new ServiceCollection();
        services.AddSingleton(keyRing);
        services.AddStackExchangeRedisCache(o => o.Configuration = redis.ConnectionString);
        services.AddResponsesWebSocketTranscriptStore(o => o.KeyPrefix = prefix);
        services.AddOptions<DistributedTranscriptStoreOptions>().Configure<IDataProtectionProvider>((o, dataProtection) =>
        {
            var protector = dataProtection.CreateProtector("ResponsesWebSocket.Transcripts");
            o.Protect = protector.Protect;
            o.Unprotect = protector.Unprotect;
        });
        services.AddResponsesWebSocketChatClient(o =>
        {
            Point(o, fixture);
            o.TranscriptIdleTimeout = TimeSpan.FromMinutes(5);
            if (sentByB is not null) o.RequestSent = sentByB.Add;
        }).UseFunctionInvocation();
        return services.BuildServiceProvider();
    }

    private static DefaultHttpContext SignedIn(string name) =>
        new() { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "test")) };

    private static void Point(ResponsesWebSocketChatClientOptions options, ServerFixture fixture)
    {
        options.Endpoint = fixture.Server.BaseUri;
        options.ApiKey = fixture.Server.ApiKey;
        options.Model = "local-model";
        options.EncryptedReasoning = EncryptedReasoningMode.Never; // local-model does not reason; see EncryptedReasoningTests
    }

    // The simplest protector that changes the bytes: its own inverse (real Data Protection: the Redis test above).
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
