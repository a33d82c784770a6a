namespace ResponsesWebSocket.Turns;

/// <summary>What a turn does about a failure. Decided by <see cref="TurnRecovery.Decide"/>.</summary>
internal enum RecoveryAction
{
    /// <summary>The failure reaches the caller.</summary>
    Surface,

    /// <summary>The same request on a new channel (the old one is broken or at its time limit).</summary>
    ResendOnNewChannel,

    /// <summary>A full create from the transcript, on the same channel (the service lost the chain).</summary>
    ResendFull,

    /// <summary>The request again without the encrypted-reasoning include the client added (the model rejects it).</summary>
    ResendWithoutEncryptedReasoning,
}
