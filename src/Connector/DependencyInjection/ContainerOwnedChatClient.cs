using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.DependencyInjection;

/// <summary>
/// The pipeline's view of the container's <see cref="ResponsesWebSocketChatClient"/> singleton: everything passes through
/// except disposal. The pipeline's middleware dispose their inner client synchronously, which would start closing the
/// sockets in the background; the container instead awaits the client's <c>DisposeAsync</c> itself.
/// </summary>
internal sealed class ContainerOwnedChatClient(ResponsesWebSocketChatClient client) : DelegatingChatClient(client)
{
    /// <inheritdoc/>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2215", Justification = "The base would dispose the inner client, which the service provider owns.")]
    protected override void Dispose(bool disposing)
    {
        // Deliberately not disposing the inner client: the service provider owns it.
    }
}
