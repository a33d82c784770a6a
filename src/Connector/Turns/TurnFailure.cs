namespace ResponsesWebSocket.Turns;

/// <summary>What <see cref="TurnRecovery.Decide"/> knows about a failed attempt of a turn.</summary>
/// <param name="Error">The failure, as the caller would see it.</param>
/// <param name="AlreadyResent">A transparent resend already happened in this call (one is the most a call makes).</param>
/// <param name="OutputSurfaced">Output of this response was already yielded to the caller.</param>
/// <param name="EventsReceived">Any event of this response arrived (a dropped channel may then have done work).</param>
/// <param name="HasTranscript">The client holds the conversation's transcript, so a full create can rebuild it.</param>
/// <param name="CanDropEncryptedReasoning">The failure is the model rejecting the encrypted-reasoning include the client
/// added on its own (<c>EncryptedReasoningPolicy.CanFallBack</c>).</param>
internal readonly record struct TurnFailure(
    ResponsesException Error,
    bool AlreadyResent,
    bool OutputSurfaced,
    bool EventsReceived,
    bool HasTranscript,
    bool CanDropEncryptedReasoning);
