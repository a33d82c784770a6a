namespace ResponsesWebSocket;

/// <summary>Options for <see cref="DistributedTranscriptStore"/>.</summary>
public sealed class DistributedTranscriptStoreOptions
{
    /// <summary>
    /// Gets or sets the prefix of every cache key the store writes (default <c>responses-ws:</c>), so that several
    /// applications, or environments, can share one cache without reading each other's entries.
    /// </summary>
    public string KeyPrefix { get; set; } = "responses-ws:";

    /// <summary>
    /// Gets or sets a function that protects (encrypts and authenticates) each value before it is written, or
    /// <see langword="null"/> to write plaintext. Set it together with <see cref="Unprotect"/>; with ASP.NET Core Data
    /// Protection pass <c>protector.Protect</c>.
    /// </summary>
    /// <remarks>Without a protector the cache holds the conversations' prompts and outputs in plaintext.</remarks>
    public Func<byte[], byte[]>? Protect { get; set; }

    /// <summary>
    /// Gets or sets the inverse of <see cref="Protect"/> (with ASP.NET Core Data Protection, <c>protector.Unprotect</c>).
    /// It must throw <see cref="System.Security.Cryptography.CryptographicException"/> for a value it cannot unprotect (as
    /// <c>IDataProtector</c> does); the store then treats the entry as absent.
    /// </summary>
    public Func<byte[], byte[]>? Unprotect { get; set; }
}
