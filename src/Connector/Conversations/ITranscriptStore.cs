namespace ResponsesWebSocket;

/// <summary>
/// A place outside the process where completed turns live, so that a conversation survives a restart and can be continued
/// by another instance of the application (a web farm). Lookups are partitioned by a conversation scope: an entry is only
/// ever returned to a caller of the scope it was stored under.
/// </summary>
/// <remarks>
/// Implementations must be safe to call concurrently. The payloads and content keys are opaque to the store: the client
/// encodes and interprets them. A lookup that finds nothing usable (absent, expired, corrupt, written for another scope)
/// returns <see langword="null"/>; the client then treats the conversation as unknown to this store.
/// </remarks>
/// <seealso cref="DistributedTranscriptStore"/>
public interface ITranscriptStore
{
    /// <summary>Gets the turn that completed with response <paramref name="responseId"/> under <paramref name="scope"/>.</summary>
    /// <param name="scope">The conversation scope (<see cref="string.Empty"/> for none).</param>
    /// <param name="responseId">The service's response id.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The stored turn, or <see langword="null"/> when there is none usable for this scope.</returns>
    ValueTask<TranscriptEntry?> GetAsync(string scope, string responseId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gets the id of the response whose whole transcript (every turn up to and including it) has the content key
    /// <paramref name="contentKey"/> under <paramref name="scope"/>, as last stored with <see cref="SetAsync"/>.
    /// </summary>
    /// <param name="scope">The conversation scope (<see cref="string.Empty"/> for none).</param>
    /// <param name="contentKey">The opaque content key of a whole transcript.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The response id, or <see langword="null"/> when none is known for this scope. The turn itself may have
    /// expired since; <see cref="GetAsync"/> then returns <see langword="null"/>.</returns>
    ValueTask<string?> FindByContentKeyAsync(string scope, string contentKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a completed turn under its scope and response id, and indexes its <see cref="TranscriptEntry.ContentKey"/>
    /// when one is set. Both expire when not read or written for <paramref name="idleTimeout"/> (sliding expiration).
    /// </summary>
    /// <param name="entry">The turn to store; an entry with the same scope and response id is replaced.</param>
    /// <param name="idleTimeout">How long the entry lives without being used.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the turn is stored.</returns>
    ValueTask SetAsync(TranscriptEntry entry, TimeSpan idleTimeout, CancellationToken cancellationToken = default);
}
