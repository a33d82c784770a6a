using StackExchange.Redis;

namespace WebFarm;

/// <summary>Connects to Redis once, quickly, or explains how to start one.</summary>
internal static class RedisConnection
{
    /// <summary>Connects with a short timeout; on failure prints why and how to start a Redis, and returns null.</summary>
    /// <param name="address">A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>.</param>
    public static async Task<ConnectionMultiplexer?> TryConnectAsync(string address)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(address);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"ConnectionStrings:Redis '{address}' is not a Redis configuration string: {e.Message}");
            return null;
        }

        // Fail fast instead of StackExchange.Redis's default of retrying in the background until first use.
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 3000;
        options.ConnectRetry = 1;
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options);
        }
        catch (RedisConnectionException e)
        {
            Console.Error.WriteLine($"""
                No Redis reachable at {address} ({e.FailureType}).

                This example needs a Redis the two nodes share. Start one, for example:
                  apt-get install redis-server && redis-server --port 6379 --save '' --appendonly no
                  docker run --rm -p 6379:6379 redis:7
                and point the example at it (default localhost:6379):
                  ConnectionStrings__Redis=127.0.0.1:6379 dotnet run --project examples/WebFarm
                """);
            return null;
        }
    }
}
