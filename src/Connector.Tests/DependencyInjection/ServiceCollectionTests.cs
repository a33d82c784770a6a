using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResponsesWebSocket.Tests.Support;

namespace ResponsesWebSocket.Tests.DependencyInjection;

/// <summary>AddResponsesWebSocketChatClient: resolution (keyed too), middleware, configuration binding, disposal.</summary>
public class ServiceCollectionTests
{
    [Fact]
    public async Task Registers_a_singleton_client_behind_the_built_pipeline()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var services = new ServiceCollection();
        services.AddResponsesWebSocketChatClient(o => Point(o, fixture, "local-model")).UseFunctionInvocation();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        var chat = provider.GetRequiredService<IChatClient>();
        var client = provider.GetRequiredService<ResponsesWebSocketChatClient>();

        chat.Should().BeOfType<FunctionInvokingChatClient>();
        chat.GetService<ResponsesWebSocketChatClient>().Should().BeSameAs(client);
        provider.GetRequiredService<IChatClient>().Should().BeSameAs(chat);
        var response = await chat.GetResponseAsync("hello").WaitAsync(TimeSpan.FromSeconds(30));
        response.Text.Should().NotBeEmpty();
        fixture.Server.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Keyed_registrations_resolve_their_own_client_and_options()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var services = new ServiceCollection();
        services.AddKeyedResponsesWebSocketChatClient("fast", o => Point(o, fixture, "model-fast"));
        services.AddKeyedResponsesWebSocketChatClient("deep", o => Point(o, fixture, "model-deep"));
        await using var provider = services.BuildServiceProvider();

        var fast = provider.GetRequiredKeyedService<IChatClient>("fast");
        var deep = provider.GetRequiredKeyedService<IChatClient>("deep");

        provider.GetService<IChatClient>().Should().BeNull("only keyed clients were registered");
        fast.GetService<ResponsesWebSocketChatClient>().Should().NotBeSameAs(deep.GetService<ResponsesWebSocketChatClient>());
        fast.GetService<ChatClientMetadata>()!.DefaultModelId.Should().Be("model-fast");
        await deep.GetResponseAsync("hello").WaitAsync(TimeSpan.FromSeconds(30));
        fixture.Server.Requests.Should().ContainSingle().Which.Json.Should().Contain("\"model\":\"model-deep\"");
    }

    [Fact]
    public async Task Configuration_section_binds_every_setting_it_can_carry()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ResponsesWebSocket:Endpoint"] = "https://gateway.example/openai/v1",
            ["ResponsesWebSocket:ApiKey"] = "sk-from-config",
            ["ResponsesWebSocket:Model"] = "gpt-5.2",
            ["ResponsesWebSocket:Store"] = "true",
            ["ResponsesWebSocket:ConnectTimeout"] = "00:00:05",
            ["ResponsesWebSocket:MaxConnections"] = "2",
            ["ResponsesWebSocket:ApiKeyHeader"] = "ApiKey",
            ["ResponsesWebSocket:AllowNoApiKey"] = "true",
            ["ResponsesWebSocket:AdditionalHeaders:X-Tenant"] = "contoso",
        }).Build();
        var services = new ServiceCollection();
        services.AddResponsesWebSocketChatClient(configuration.GetSection("ResponsesWebSocket"), o => o.Project = "set-in-code");
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<ResponsesWebSocketChatClientOptions>>().Value;

        options.Endpoint.Should().Be(new Uri("https://gateway.example/openai/v1"));
        options.ApiKey.Should().Be("sk-from-config");
        options.Model.Should().Be("gpt-5.2");
        options.Store.Should().BeTrue();
        options.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(5));
        options.MaxConnections.Should().Be(2);
        options.ApiKeyHeader.Should().Be(ApiKeyHeader.ApiKey);
        options.AllowNoApiKey.Should().BeTrue();
        options.AdditionalHeaders.Should().Contain("X-Tenant", "contoso");
        options.Project.Should().Be("set-in-code", "the code callback runs after binding");
        provider.GetRequiredService<ResponsesWebSocketChatClient>().WebSocketUri.Should().Be(new Uri("wss://gateway.example/openai/v1/responses"));
    }

    [Fact]
    public async Task Disposing_the_provider_awaits_the_close_handshake()
    {
        await using var fixture = await ServerFixture.StartAsync();
        var services = new ServiceCollection();
        services.AddResponsesWebSocketChatClient(o => Point(o, fixture, "m")).UseFunctionInvocation();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi").WaitAsync(TimeSpan.FromSeconds(30));
        fixture.Server.OpenConnectionCount.Should().Be(1);

        // The client disposes its Meter as the last step of DisposeAsync, after the close handshakes: a completed
        // meter when the provider's DisposeAsync returns means the provider awaited it (a background close would not be done).
        var meter = provider.GetRequiredService<ResponsesWebSocketChatClient>().GetService<Meter>()!;
        var disposed = false;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument); },
            MeasurementsCompleted = (_, _) => disposed = true,
        };
        listener.Start();

        await provider.DisposeAsync();

        disposed.Should().BeTrue("the provider awaited the client's DisposeAsync, not a background close");
    }

    private static void Point(ResponsesWebSocketChatClientOptions options, ServerFixture fixture, string model)
    {
        options.Endpoint = fixture.Server.BaseUri;
        options.ApiKey = fixture.Server.ApiKey;
        options.Model = model;

        // These models do not reason; the one-time include negotiation is EncryptedReasoningTests' subject.
        options.EncryptedReasoning = EncryptedReasoningMode.Never;
    }
}
