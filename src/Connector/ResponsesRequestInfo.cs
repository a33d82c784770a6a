namespace ResponsesWebSocket;

/// <summary>What one <c>response.create</c> frame carried. Reported through <see cref="ResponsesWebSocketChatClientOptions.RequestSent"/>.</summary>
public sealed class ResponsesRequestInfo
{
    /// <summary>Gets whether the frame was chained, and if not, why.</summary>
    public required ChainStatus Status { get; init; }

    /// <summary>Gets the response it continued, when chained.</summary>
    public string? PreviousResponseId { get; init; }

    /// <summary>Gets how many input items the frame carried.</summary>
    public int ItemsSent { get; init; }

    /// <summary>Gets the frame's size in bytes.</summary>
    public int BytesSent { get; init; }

    /// <summary>Gets how many items the whole conversation has (what a full resend carries).</summary>
    public int FullHistoryItems { get; init; }

    /// <summary>Gets the size a frame with the full history would have had.</summary>
    public long FullHistoryBytes { get; init; }

    /// <summary>Gets the channel that carried the frame (process-unique): a socket, or an HTTP lane (<see cref="ResponsesTransport.Http"/>).</summary>
    public long ConnectionId { get; init; }

    /// <summary>Gets 0 for the first send of a call, 1 for a transparent resend (new socket or lost chain).</summary>
    public int Attempt { get; init; }
}
