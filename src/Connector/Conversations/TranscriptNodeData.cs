using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Conversations;

/// <summary>
/// One completed turn as it is kept outside the process: nothing process-local (no socket, no clock), only what a node on
/// another machine needs to continue or rebuild the conversation. Encoded by <see cref="TranscriptNodeCodec"/>.
/// </summary>
/// <param name="ResponseId">The service's id of the response that completed the turn.</param>
/// <param name="ParentResponseId">The response this turn continued, or <see langword="null"/> for the first turn.</param>
/// <param name="Fingerprint">The request settings' fingerprint (a chain continues only under the same settings).</param>
/// <param name="Store">Whether the turn was created with <c>store=true</c>.</param>
/// <param name="Items">The turn's items: the new input items followed by the model's output items.</param>
internal sealed record TranscriptNodeData(
    string ResponseId,
    string? ParentResponseId,
    UInt128 Fingerprint,
    bool Store,
    IReadOnlyList<InputItem> Items);
