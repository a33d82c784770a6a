namespace WebFarm;

/// <summary>What went through a <see cref="CountingDistributedCache"/> between two looks at it.</summary>
/// <param name="Writes">Values written (<c>Set</c>).</param>
/// <param name="BytesWritten">Bytes of those values, as the cache was given them (keys not counted).</param>
/// <param name="Reads">Lookups (<c>Get</c>), found or not.</param>
/// <param name="Hits">Lookups that found a value.</param>
/// <param name="BytesRead">Bytes of the values found.</param>
/// <param name="KeysWritten">The keys written, in order.</param>
internal sealed record CacheTraffic(int Writes, long BytesWritten, int Reads, int Hits, long BytesRead, IReadOnlyList<string> KeysWritten);
