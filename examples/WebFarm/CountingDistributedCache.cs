using Microsoft.Extensions.Caching.Distributed;

namespace WebFarm;

/// <summary>
/// An <see cref="IDistributedCache"/> that passes every call on to another one (here Redis) and counts what the
/// transcript store asked of it: values written and read, with their sizes, and the keys written. The example reads the
/// counts after each turn to print what the turn cost in Redis; nothing is changed on the way through.
/// </summary>
internal sealed class CountingDistributedCache(IDistributedCache inner) : IDistributedCache
{
    private readonly Lock _gate = new();
    private readonly List<string> _keys = [];
    private int _writes;
    private long _bytesWritten;
    private int _reads;
    private int _hits;
    private long _bytesRead;

    /// <summary>Returns what went through since the last call (or since the start), and starts counting afresh.</summary>
    public CacheTraffic TakeTraffic()
    {
        lock (_gate)
        {
            var traffic = new CacheTraffic(_writes, _bytesWritten, _reads, _hits, _bytesRead, [.. _keys]);
            (_writes, _bytesWritten, _reads, _hits, _bytesRead) = (0, 0, 0, 0, 0);
            _keys.Clear();
            return traffic;
        }
    }

    public byte[]? Get(string key) => CountRead(inner.Get(key));

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        CountRead(await inner.GetAsync(key, token).ConfigureAwait(false));

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        inner.Set(key, value, options);
        CountWrite(key, value);
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        await inner.SetAsync(key, value, options, token).ConfigureAwait(false);
        CountWrite(key, value);
    }

    public void Refresh(string key) => inner.Refresh(key);

    public Task RefreshAsync(string key, CancellationToken token = default) => inner.RefreshAsync(key, token);

    public void Remove(string key) => inner.Remove(key);

    public Task RemoveAsync(string key, CancellationToken token = default) => inner.RemoveAsync(key, token);

    private byte[]? CountRead(byte[]? value)
    {
        lock (_gate)
        {
            _reads++;
            if (value is not null)
            {
                _hits++;
                _bytesRead += value.Length;
            }
        }

        return value;
    }

    private void CountWrite(string key, byte[] value)
    {
        lock (_gate)
        {
            _writes++;
            _bytesWritten += value.Length;
            _keys.Add(key);
        }
    }
}
