using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace ResponsesWebSocket.SemanticKernel;

/// <summary>The one registration every <c>AddResponsesWebSocketChatClient</c> overload of this package ends in.</summary>
internal static class KernelChatClientRegistration
{
    /// <summary>
    /// Registers, under <paramref name="serviceId"/> (unkeyed when <see langword="null"/>), the <see cref="IChatClient"/>
    /// pipeline Semantic Kernel resolves and an <see cref="IChatCompletionService"/> over the same instance, so both
    /// <c>kernel.InvokePromptAsync</c> and <c>kernel.GetRequiredService&lt;IChatCompletionService&gt;()</c> reach one socket pool.
    /// </summary>
    public static IServiceCollection Add(IServiceCollection services, string? serviceId, Func<IServiceProvider, ResponsesWebSocketChatClientOptions> createOptions)
    {
        services.AddKeyedSingleton<IChatClient>(serviceId, (provider, _) =>
        {
            var loggerFactory = provider.GetService<ILoggerFactory>();
            return new ResponsesWebSocketChatClient(createOptions(provider), loggerFactory)
                .AsBuilder()
                .UseResponsesWebSocketKernelFunctionInvocation(loggerFactory)
                .Build(provider);
        });
        services.AddKeyedSingleton<IChatCompletionService>(serviceId, (provider, key) =>
            provider.GetRequiredKeyedService<IChatClient>(key).AsChatCompletionService(provider));
        return services;
    }

    /// <summary>The options of the <c>(modelId, apiKey, endpoint)</c> overloads.</summary>
    public static ResponsesWebSocketChatClientOptions CreateOptions(string modelId, string? apiKey, Uri? endpoint) => new()
    {
        Model = modelId,
        ApiKey = apiKey,
        Endpoint = endpoint ?? ResponsesWebSocketChatClientOptions.DefaultEndpoint,
    };
}
