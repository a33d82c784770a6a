using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;

namespace ResponsesWebSocket.Tests.Support;

/// <summary>
/// A connection to the test Redis (<see cref="RedisServer"/>) for inspecting keys, and <see cref="RedisCache"/> instances
/// over it. Connects only when first used, so a class whose Redis tests are all skipped never needs a server.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private readonly List<RedisCache> _caches = [];
    private ConnectionMultiplexer? _connection;

    public string ConnectionString => RedisServer.ConnectionString;

    /// <summary>The raw database, to look at what the store wrote (keys, values, TTLs).</summary>
    public async Task<IDatabase> DatabaseAsync()
    {
        _connection ??= await ConnectionMultiplexer.ConnectAsync(ConnectionString).WaitAsync(Patience.Limit);
        return _connection.GetDatabase();
    }

    /// <summary>A real IDistributedCache on the test Redis; keys are written as the store names them (no instance name).</summary>
    public RedisCache CreateCache()
    {
        var cache = new RedisCache(new RedisCacheOptions { Configuration = ConnectionString });
        _caches.Add(cache);
        return cache;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var cache in _caches) cache.Dispose();
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
