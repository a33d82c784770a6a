using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace ResponsesWebSocket.SemanticKernel;

/// <summary>
/// Sits directly under Semantic Kernel's function-invocation client and withholds <c>ConversationId</c> from the responses
/// to calls that offer kernel functions, so that Semantic Kernel 1.82 can run them.
/// </summary>
/// <remarks>
/// <para>Why: <c>KernelFunctionInvokingChatClient</c> (internal to Microsoft.SemanticKernel.Abstractions 1.82, installed by
/// <see cref="KernelFunctionInvokingChatClientBuilderExtensions.UseKernelFunctionInvocation"/>) starts every kernel function
/// call with <c>context.Messages.Last()</c>. When the inner response carries a ConversationId, its base class
/// <see cref="FunctionInvokingChatClient"/> treats the history as held by the service and hands the function an empty
/// message list, so <c>Last()</c> throws <see cref="InvalidOperationException"/> ("Sequence contains no elements"); the
/// loop catches it and sends the model an error result instead of running the function, for every call. Source:
/// https://github.com/microsoft/semantic-kernel/blob/main/dotnet/src/SemanticKernel.Abstractions/AI/ChatClient/KernelFunctionInvokingChatClient.cs
/// (<c>InvokeFunctionAsync</c>). No upstream issue tracks it that we could find; remove this filter once Semantic Kernel
/// reads the function call from <c>context.CallContent</c> or tolerates an empty list.</para>
/// <para>Withholding the id costs nothing on the wire: the loop then resends the whole history, which the WebSocket
/// client recognises by content and still sends chained, with only the new tool results.</para>
/// <para>Which calls: those whose tools include a <see cref="KernelFunction"/>. Semantic Kernel's own calls (its internal
/// <c>KernelChatOptions</c>, the only ones that take the failing path) carry the kernel's functions whenever function
/// calling is on; a call without tools never reaches a function, and other callers of the same client (plain
/// <see cref="AIFunction"/> tools, Agent Framework) keep their ConversationId.</para>
/// </remarks>
internal sealed class KernelFunctionConversationIdFilter(IChatClient innerClient) : DelegatingChatClient(innerClient)
{
    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var withhold = OffersKernelFunctions(options);
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (withhold) response.ConversationId = null;
        return response;
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken);
        return OffersKernelFunctions(options) ? WithoutConversationId(updates, cancellationToken) : updates;
    }

    /// <summary>Whether a call offers at least one kernel function as a tool.</summary>
    internal static bool OffersKernelFunctions(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools) return false;
        foreach (var tool in tools)
        {
            if (tool is KernelFunction) return true;
        }

        return false;
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> WithoutConversationId(IAsyncEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            update.ConversationId = null;
            yield return update;
        }
    }
}
