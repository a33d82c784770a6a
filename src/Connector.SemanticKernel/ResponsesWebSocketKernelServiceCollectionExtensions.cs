using Microsoft.Extensions.AI;
using ResponsesWebSocket;
using ResponsesWebSocket.SemanticKernel;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <c>ResponsesWebSocketChatClient</c> for Semantic Kernel in a service collection (for kernels built from an
/// application's container), with kernel function invocation already in the pipeline.
/// </summary>
/// <remarks>
/// Each overload registers, under the service id (unkeyed when <see langword="null"/>), an <see cref="IChatClient"/> and an
/// <c>IChatCompletionService</c> over the same pipeline, built when first resolved. For a client without Semantic Kernel's
/// function invocation, construct <see cref="ResponsesWebSocketChatClient"/> and register it with <c>AddChatClient</c>.
/// </remarks>
public static class ResponsesWebSocketKernelServiceCollectionExtensions
{
    /// <summary>Adds the WebSocket chat client for a model and API key, for Semantic Kernel.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="modelId">The model, e.g. <c>gpt-5.2</c>.</param>
    /// <param name="apiKey">The API key; may be <see langword="null"/> only for a loopback <paramref name="endpoint"/>.</param>
    /// <param name="endpoint">The HTTP base URL; <see cref="ResponsesWebSocketChatClientOptions.DefaultEndpoint"/> when <see langword="null"/>.</param>
    /// <param name="serviceId">The kernel service id to register under (see <c>PromptExecutionSettings.ServiceId</c>).</param>
    /// <returns>The same collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is null or blank.</exception>
    public static IServiceCollection AddResponsesWebSocketChatClient(this IServiceCollection services, string modelId, string? apiKey, Uri? endpoint = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        return KernelChatClientRegistration.Add(services, serviceId, _ => KernelChatClientRegistration.CreateOptions(modelId, apiKey, endpoint));
    }

    /// <summary>Adds the WebSocket chat client with the given options, for Semantic Kernel.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The client's options, read when the client is first resolved.</param>
    /// <param name="serviceId">The kernel service id to register under (see <c>PromptExecutionSettings.ServiceId</c>).</param>
    /// <returns>The same collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="options"/> is null.</exception>
    public static IServiceCollection AddResponsesWebSocketChatClient(this IServiceCollection services, ResponsesWebSocketChatClientOptions options, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        return KernelChatClientRegistration.Add(services, serviceId, _ => options);
    }
}
