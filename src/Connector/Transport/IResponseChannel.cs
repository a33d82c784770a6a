using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// Where one <c>response.create</c> is sent and its events are read: a WebSocket (<see cref="WebSocketConnection"/>) or
/// HTTP requests answered with server-sent events (<see cref="HttpResponseChannel"/>). One response is in flight at a time.
/// </summary>
/// <remarks>
/// The turn engine sees only this seam. A channel's connection-local cache is the chain anchor: a conversation continues
/// with <c>previous_response_id</c> and only its new items on the channel whose <see cref="CachedResponseId"/> is its
/// latest response. HTTP has no connection-local cache, so its <see cref="CachedResponseId"/> is always
/// <see langword="null"/> (stored responses still chain by id: the service persists them).
/// </remarks>
internal interface IResponseChannel : IAsyncDisposable
{
    /// <summary>Gets a process-unique id (logs and <see cref="ResponsesRequestInfo.ConnectionId"/>).</summary>
    long Id { get; }

    /// <summary>Gets the frame format this channel sends (a WebSocket <c>response.create</c>, or an HTTP body).</summary>
    RequestTransport Transport { get; }

    /// <summary>Gets when the channel was opened (channels older than the maximum age are replaced).</summary>
    DateTimeOffset OpenedAt { get; }

    /// <summary>Gets whether the channel is open and not broken (a turn may be in flight).</summary>
    bool IsOpen { get; }

    /// <summary>Gets whether the channel can take another turn now.</summary>
    bool IsUsable { get; }

    /// <summary>
    /// Gets the id of the response the service holds in this channel's connection-local cache: the latest one completed
    /// here, <see langword="null"/> after an error or failure (which evict it), and always for HTTP.
    /// </summary>
    string? CachedResponseId { get; }

    /// <summary>Sends one create and returns the turn that will receive its events.</summary>
    /// <param name="request">The request, written in this channel's <see cref="Transport"/> format; not kept after the call.</param>
    /// <param name="keepRawEvents">Keep every event's JSON for the updates (see <see cref="ResponseTurn.KeepsRawEvents"/>).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="ResponsesException">The channel is broken or the send failed (nothing of the response was read).</exception>
    ValueTask<ResponseTurn> SendAsync(ReadOnlyMemory<byte> request, bool keepRawEvents, CancellationToken cancellationToken);

    /// <summary>Abandons the turn in flight: its remaining events cannot be skipped, so the channel stops reading them.</summary>
    void Abandon();

    /// <summary>Takes the channel out of service at once.</summary>
    void Retire();

    /// <summary>Marks the turn as consumed, so that the next one may start.</summary>
    void Release(ResponseTurn turn);
}
