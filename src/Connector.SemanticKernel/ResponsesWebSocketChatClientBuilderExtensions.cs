using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ResponsesWebSocket.SemanticKernel;

namespace Microsoft.SemanticKernel;

/// <summary>Semantic Kernel function invocation for a pipeline over <c>ResponsesWebSocketChatClient</c>.</summary>
public static class ResponsesWebSocketChatClientBuilderExtensions
{
    /// <summary>
    /// Adds Semantic Kernel's function invocation (kernel functions, auto-function-invocation filters, as
    /// <see cref="KernelFunctionInvokingChatClientBuilderExtensions.UseKernelFunctionInvocation"/> does) and, beneath it, the
    /// adapter Semantic Kernel 1.82 needs to run functions over a client that reports a <c>ConversationId</c>: responses
    /// to calls offering kernel functions go up without one, and their resent history is still sent chained.
    /// Use it when wiring a client by hand, e.g. <c>kernelBuilder.Services.AddChatClient(client).UseResponsesWebSocketKernelFunctionInvocation()</c>;
    /// the <c>AddResponsesWebSocketChatClient</c> registrations already include it.
    /// </summary>
    /// <param name="builder">The pipeline builder over the WebSocket client.</param>
    /// <param name="loggerFactory">Where function invocation is logged; the service provider's when <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ChatClientBuilder UseResponsesWebSocketKernelFunctionInvocation(this ChatClientBuilder builder, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The first added is the outermost: Semantic Kernel's loop, then the filter, then the client.
        return builder
            .UseKernelFunctionInvocation(loggerFactory)
            .Use(inner => new KernelFunctionConversationIdFilter(inner));
    }
}
