using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResponsesWebSocket;
using ResponsesWebSocket.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers a <see cref="ResponsesWebSocketChatClient"/> as the <see cref="IChatClient"/> of a service collection.
/// </summary>
/// <remarks>
/// <para>The client is a singleton (it owns the sockets and the conversation state); disposing the service provider
/// awaits its <see cref="ResponsesWebSocketChatClient.DisposeAsync"/>, which closes the sockets. The returned
/// <see cref="ChatClientBuilder"/> adds middleware as usual (<c>UseFunctionInvocation()</c>, <c>UseOpenTelemetry()</c>, …).</para>
/// <para>The options are validated when the host starts (<c>ValidateOnStart</c>): a missing key for a non-loopback
/// endpoint, a missing model or a non-positive timeout stop the host with a message naming the setting.</para>
/// <para>When the options leave <see cref="ResponsesWebSocketChatClientOptions.TranscriptStore"/> <see langword="null"/>
/// and the container has an <see cref="ITranscriptStore"/> (for example from <see cref="AddResponsesWebSocketTranscriptStore"/>),
/// the client uses that one: a keyed client prefers a store registered under its own key, then the unkeyed one.</para>
/// </remarks>
public static class ResponsesWebSocketServiceCollectionExtensions
{
    /// <summary>Registers the client as the <see cref="IChatClient"/>, configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (endpoint, key or token provider, model, …).</param>
    /// <returns>A builder for the <see cref="IChatClient"/> pipeline.</returns>
    public static ChatClientBuilder AddResponsesWebSocketChatClient(this IServiceCollection services, Action<ResponsesWebSocketChatClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, serviceKey: null, options => options.Configure(configure));
    }

    /// <summary>Registers the client as the <see cref="IChatClient"/>, bound to a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">A section such as <c>ResponsesWebSocket</c> with <c>Endpoint</c>, <c>ApiKey</c>, <c>Model</c>, ….</param>
    /// <param name="configure">Optionally sets what configuration cannot carry (<c>TokenProvider</c>, hooks), after binding.</param>
    /// <returns>A builder for the <see cref="IChatClient"/> pipeline.</returns>
    public static ChatClientBuilder AddResponsesWebSocketChatClient(this IServiceCollection services, IConfiguration configuration, Action<ResponsesWebSocketChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Register(services, serviceKey: null, options => Bind(options, configuration, configure));
    }

    /// <summary>Registers the client as a keyed <see cref="IChatClient"/>, configured in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; the options are the named options of the same name (its string form).</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder for the keyed <see cref="IChatClient"/> pipeline.</returns>
    public static ChatClientBuilder AddKeyedResponsesWebSocketChatClient(this IServiceCollection services, object? serviceKey, Action<ResponsesWebSocketChatClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Register(services, serviceKey, options => options.Configure(configure));
    }

    /// <summary>Registers the client as a keyed <see cref="IChatClient"/>, bound to a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; the options are the named options of the same name (its string form).</param>
    /// <param name="configuration">The section to bind.</param>
    /// <param name="configure">Optionally sets what configuration cannot carry, after binding.</param>
    /// <returns>A builder for the keyed <see cref="IChatClient"/> pipeline.</returns>
    public static ChatClientBuilder AddKeyedResponsesWebSocketChatClient(this IServiceCollection services, object? serviceKey, IConfiguration configuration, Action<ResponsesWebSocketChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Register(services, serviceKey, options => Bind(options, configuration, configure));
    }

    /// <summary>
    /// Registers a <see cref="DistributedTranscriptStore"/> over the container's <see cref="IDistributedCache"/> as the
    /// <see cref="ITranscriptStore"/> (a singleton), which the clients registered here then use, so that conversations
    /// survive a restart and continue on any instance of the application sharing the cache.
    /// </summary>
    /// <param name="services">The service collection; it must also have an <see cref="IDistributedCache"/>, for example
    /// from <c>AddStackExchangeRedisCache</c> (Microsoft.Extensions.Caching.StackExchangeRedis).</param>
    /// <param name="configure">Optionally sets the key prefix and the protection (<c>Protect</c>/<c>Unprotect</c>). The
    /// options are <see cref="DistributedTranscriptStoreOptions"/> of the options system, so they can also be configured
    /// with services, e.g. <c>services.AddOptions&lt;DistributedTranscriptStoreOptions&gt;().Configure&lt;IDataProtectionProvider&gt;(…)</c>.</param>
    /// <returns>The service collection.</returns>
    /// <remarks>Without a protector the cache holds prompts and outputs in plaintext.</remarks>
    public static IServiceCollection AddResponsesWebSocketTranscriptStore(this IServiceCollection services, Action<DistributedTranscriptStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DistributedTranscriptStoreOptions>();
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<ITranscriptStore>(provider => new DistributedTranscriptStore(
            provider.GetRequiredService<IDistributedCache>(),
            provider.GetRequiredService<IOptions<DistributedTranscriptStoreOptions>>().Value));
        return services;
    }

    private static void Bind(OptionsBuilder<ResponsesWebSocketChatClientOptions> options, IConfiguration configuration, Action<ResponsesWebSocketChatClientOptions>? configure)
    {
        // Source-generated (no reflection); delegates and hooks have no configuration form and are left as they are.
        options.Bind(configuration);
        if (configure is not null) options.Configure(configure);
    }

    private static ChatClientBuilder Register(IServiceCollection services, object? serviceKey, Action<OptionsBuilder<ResponsesWebSocketChatClientOptions>> setup)
    {
        ArgumentNullException.ThrowIfNull(services);
        var name = serviceKey is null ? Options.Options.DefaultName : Convert.ToString(serviceKey, CultureInfo.InvariantCulture) ?? Options.Options.DefaultName;
        var options = services.AddOptions<ResponsesWebSocketChatClientOptions>(name);
        setup(options);

        // After every Configure (and binding): an explicitly set store wins; otherwise the container's, if any.
        options.PostConfigure<IServiceProvider>((o, provider) => o.TranscriptStore ??= RegisteredTranscriptStore(provider, serviceKey));
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ResponsesWebSocketChatClientOptions>, ResponsesWebSocketChatClientOptionsValidator>());

        if (serviceKey is null)
        {
            services.AddSingleton(provider => Create(provider, name));
            return services.AddChatClient(provider => new ContainerOwnedChatClient(provider.GetRequiredService<ResponsesWebSocketChatClient>()));
        }

        services.AddKeyedSingleton(serviceKey, (provider, _) => Create(provider, name));
        return services.AddKeyedChatClient(serviceKey, provider => new ContainerOwnedChatClient(provider.GetRequiredKeyedService<ResponsesWebSocketChatClient>(serviceKey)));
    }

    /// <summary>The store registered under the client's key, else the unkeyed one, else none.</summary>
    private static ITranscriptStore? RegisteredTranscriptStore(IServiceProvider provider, object? serviceKey) =>
        (serviceKey is null ? null : provider.GetKeyedService<ITranscriptStore>(serviceKey)) ?? provider.GetService<ITranscriptStore>();

    private static ResponsesWebSocketChatClient Create(IServiceProvider provider, string name) =>
        new(provider.GetRequiredService<IOptionsMonitor<ResponsesWebSocketChatClientOptions>>().Get(name), provider.GetService<ILoggerFactory>());
}
