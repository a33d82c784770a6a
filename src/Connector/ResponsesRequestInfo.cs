namespace ResponsesWebSocket;

/// <summary>What one <c>response.create</c> frame carried. Reported through <see cref="ResponsesWebSocketChatClientOptions.RequestSent"/>.</summary>
/// <param name="Status">Whether the frame was chained, and if not, why.</param>
/// <param name="PreviousResponseId">The response it continued, when chained.</param>
/// <param name="ItemsSent">How many input items the frame carried.</param>
/// <param name="BytesSent">The frame's size in bytes.</param>
/// <param name="FullHistoryItems">How many items the whole conversation has (what a full resend carries).</param>
/// <param name="FullHistoryBytes">The size a frame with the full history would have had.</param>
/// <param name="ConnectionId">The socket that carried the frame (process-unique).</param>
/// <param name="Attempt">0 for the first send of a call, 1 for a transparent resend (new socket or lost chain).</param>
public sealed record ResponsesRequestInfo(
    ChainStatus Status,
    string? PreviousResponseId,
    int ItemsSent,
    int BytesSent,
    int FullHistoryItems,
    long FullHistoryBytes,
    long ConnectionId,
    int Attempt);
