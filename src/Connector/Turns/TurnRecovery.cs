namespace ResponsesWebSocket.Turns;

/// <summary>
/// The replay rules of a turn, in one place: which failures the client recovers from on its own, and how.
/// </summary>
/// <remarks>
/// <para>Nothing is ever replayed after output was surfaced: the caller has seen part of an answer, and a second one
/// would duplicate it. Before that, one transparent resend per call covers what the caller could not have prevented:
/// a channel that broke before the response produced anything (new channel), the service's 60-minute connection limit
/// (new channel), and a lost chain, <c>previous_response_not_found</c> (a full create, rebuilt from the transcript, which
/// the client must hold: an id passed through without one cannot be rebuilt, and going out without its history would
/// silently lose it).</para>
/// <para>Separately from that budget, a model that rejects the encrypted-reasoning include the client added by default
/// is retried once without it (see <c>EncryptedReasoningPolicy</c>), so a first call to such a model may need both.</para>
/// <para>Handshake and HTTP-request retries (408, 429, 5xx, network errors) happen below this, in the transport, before a
/// channel exists or a request was accepted.</para>
/// </remarks>
internal static class TurnRecovery
{
    /// <summary>Decides what to do about one failed attempt.</summary>
    public static RecoveryAction Decide(in TurnFailure failure)
    {
        if (failure.OutputSurfaced) return RecoveryAction.Surface;
        if (failure.CanDropEncryptedReasoning) return RecoveryAction.ResendWithoutEncryptedReasoning;
        if (failure.AlreadyResent) return RecoveryAction.Surface;

        var error = failure.Error;
        if (error.Kind == ResponsesErrorKind.ConnectionClosed && !failure.EventsReceived) return RecoveryAction.ResendOnNewChannel;
        if (error.Code == "websocket_connection_limit_reached") return RecoveryAction.ResendOnNewChannel;
        if (error.Code == "previous_response_not_found" && failure.HasTranscript) return RecoveryAction.ResendFull;
        return RecoveryAction.Surface;
    }
}
