using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ResponsesWebSocket;
using ResponsesWebSocket.SemanticKernel;

namespace Microsoft.SemanticKernel;

/// <summary>
/// Registers <c>ResponsesWebSocketChatClient</c> (the OpenAI Responses API over one WebSocket) as a kernel's chat client,
/// with kernel function invocation already in the pipeline.
/// </summary>
/// <remarks>
/// Each overload registers, under the service id (unkeyed when <see langword="null"/>), an <see cref="IChatClient"/> and an
/// <c>IChatCompletionService</c> over the same pipeline, built when first resolved: so <c>kernel.InvokePromptAsync</c> with
/// <c>FunctionChoiceBehavior.Auto()</c>, the chat completion service and direct <see cref="IChatClient"/> callers all share
/// one socket pool, and every turn after the first of a conversation goes out chained, with only the new items.
/// Disposing the kernel's service provider closes the sockets.
/// </remarks>
public static class ResponsesWebSocketKernelBuilderExtensions
{
    /// <summary>Adds the WebSocket chat client for a model and API key.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="modelId">The model, e.g. <c>gpt-5.2</c>.</param>
    /// <param name="apiKey">The API key; may be <see langword="null"/> only for a loopback <paramref name="endpoint"/>.</param>
    /// <param name="endpoint">The HTTP base URL; <see cref="ResponsesWebSocketChatClientOptions.DefaultEndpoint"/> when <see langword="null"/>.</param>
    /// <param name="serviceId">The kernel service id to register under (see <c>PromptExecutionSettings.ServiceId</c>).</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> is null or blank.</exception>
    public static IKernelBuilder AddResponsesWebSocketChatClient(this IKernelBuilder builder, string modelId, string? apiKey, Uri? endpoint = null, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddResponsesWebSocketChatClient(modelId, apiKey, endpoint, serviceId);
        return builder;
    }

    /// <summary>Adds the WebSocket chat client with the given options.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="options">The client's options, read when the client is first resolved.</param>
    /// <param name="serviceId">The kernel service id to register under (see <c>PromptExecutionSettings.ServiceId</c>).</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="options"/> is null.</exception>
    public static IKernelBuilder AddResponsesWebSocketChatClient(this IKernelBuilder builder, ResponsesWebSocketChatClientOptions options, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddResponsesWebSocketChatClient(options, serviceId);
        return builder;
    }

    /// <summary>Adds the WebSocket chat client, configuring fresh options when it is first resolved.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Sets the options (endpoint, key, model, …).</param>
    /// <param name="serviceId">The kernel service id to register under (see <c>PromptExecutionSettings.ServiceId</c>).</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IKernelBuilder AddResponsesWebSocketChatClient(this IKernelBuilder builder, Action<ResponsesWebSocketChatClientOptions> configure, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        KernelChatClientRegistration.Add(builder.Services, serviceId, _ =>
        {
            var options = new ResponsesWebSocketChatClientOptions();
            configure(options);
            return options;
        });
        return builder;
    }

    /// <summary>
    /// Adds the WebSocket chat client with options bound from a configuration section when it is first resolved: keys named
    /// like the option properties (<c>Endpoint</c>, <c>ApiKey</c>, <c>Model</c>, <c>MaxConnections</c>, <c>ConnectTimeout</c>, …).
    /// </summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configuration">The section holding the options, e.g. <c>configuration.GetSection("ResponsesWebSocket")</c>.</param>
    /// <param name="serviceId">The kernel service id to register under (see <c>PromptExecutionSettings.ServiceId</c>).</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    public static IKernelBuilder AddResponsesWebSocketChatClient(this IKernelBuilder builder, IConfiguration configuration, string? serviceId = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        KernelChatClientRegistration.Add(builder.Services, serviceId, _ =>
        {
            var options = new ResponsesWebSocketChatClientOptions();
            configuration.Bind(options);
            return options;
        });
        return builder;
    }
}
