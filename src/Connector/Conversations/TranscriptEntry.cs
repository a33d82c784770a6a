namespace ResponsesWebSocket;

/// <summary>One completed turn as an <see cref="ITranscriptStore"/> keeps it: where it belongs, and its encoded content.</summary>
public sealed class TranscriptEntry
{
    /// <summary>Gets the conversation scope the turn belongs to (<see cref="string.Empty"/> for none).</summary>
    public required string Scope { get; init; }

    /// <summary>Gets the service's id of the response that completed the turn.</summary>
    public required string ResponseId { get; init; }

    /// <summary>Gets the id of the response this turn continued, or <see langword="null"/> for a conversation's first turn.</summary>
    public string? ParentResponseId { get; init; }

    /// <summary>
    /// Gets the opaque content key of the whole transcript up to and including this turn, by which a resent history finds
    /// it (<see cref="ITranscriptStore.FindByContentKeyAsync"/>), or <see langword="null"/> when it is not indexed.
    /// </summary>
    public string? ContentKey { get; init; }

    /// <summary>Gets the encoded turn; opaque to the store.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }
}
