using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace ResponsesWebSocket.Tests.Support;

/// <summary>
/// The Redis the Redis tests run against, found once per test run: <c>RESPONSES_WS_REDIS</c> when set (CI starts one and
/// sets it), otherwise a private <c>redis-server</c> started on a free loopback port when the binary is on PATH (stopped
/// when the test process exits). Without either, or when it cannot be reached, the tests are skipped with
/// <see cref="SkipReason"/> (see <see cref="RedisFactAttribute"/>), never failed and never faked.
/// </summary>
internal static class RedisServer
{
    public const string EnvironmentVariable = "RESPONSES_WS_REDIS";

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);
    private static readonly Lazy<(string? ConnectionString, string? SkipReason)> Resolved = new(Resolve);
    private static Process? s_privateServer;
    private static string? s_privateDirectory;

    /// <summary>Why Redis tests are skipped, or <see langword="null"/> when a Redis answered.</summary>
    public static string? SkipReason => Resolved.Value.SkipReason;

    /// <summary>A StackExchange.Redis configuration string for the server (loopback only).</summary>
    public static string ConnectionString => Resolved.Value.ConnectionString ?? throw new InvalidOperationException(SkipReason);

    private static (string?, string?) Resolve()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return Probe(configured, $"{EnvironmentVariable}={configured}");
        }

        if (FindOnPath("redis-server") is not { } binary)
        {
            return (null, $"Redis not available: set {EnvironmentVariable} or install redis-server.");
        }

        try
        {
            var connectionString = StartPrivate(binary);
            return Probe(connectionString, $"the private redis-server at {connectionString}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException or TimeoutException)
        {
            return (null, $"Redis not available: starting {binary} failed ({ex.Message}); set {EnvironmentVariable} to a running one.");
        }
    }

    private static (string?, string?) Probe(string connectionString, string description)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            return (null, $"Redis not available: {description} is not a Redis configuration string ({ex.Message}).");
        }

        // The suite never talks to anything but loopback, whatever the environment says.
        if (options.EndPoints.Count == 0 || !options.EndPoints.All(IsLoopback))
        {
            return (null, $"Redis not available: {description} is not a loopback address; the tests only use loopback.");
        }

        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5000;
        options.ConnectRetry = 1;
        try
        {
            using var connection = ConnectionMultiplexer.Connect(options);
            connection.GetDatabase().Ping();
            return (connectionString, null);
        }
        catch (RedisException ex)
        {
            return (null, $"Redis not available: {description} did not answer ({ex.Message}).");
        }
    }

    private static bool IsLoopback(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => IPAddress.IsLoopback(ip.Address),
        DnsEndPoint dns => string.Equals(dns.Host, "localhost", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static string StartPrivate(string binary)
    {
        var port = FreeLoopbackPort();
        s_privateDirectory = Directory.CreateTempSubdirectory("responses-ws-redis-").FullName;
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = s_privateDirectory,
        };
        foreach (var argument in new[]
        {
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", s_privateDirectory,
        })
        {
            start.ArgumentList.Add(argument);
        }

        // redis-server says when it listens: wait for that line (bounded), not for a fixed time.
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"redis-server exited with code {process.ExitCode}"));
        process.Start();
        s_privateServer = process;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopPrivate();
        StartReaper(process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // WaitAny neither throws for a faulted task nor waits past the limit.
        Task.WaitAny([ready.Task], StartLimit);
        if (!ready.Task.IsCompletedSuccessfully)
        {
            StopPrivate(); // also drains its output
            var said = string.Join(" | ", output.TakeLast(2));
            throw ready.Task.IsFaulted
                ? new InvalidOperationException($"{ready.Task.Exception!.InnerException!.Message}: {said}")
                : new TimeoutException($"redis-server did not report ready within {StartLimit.TotalSeconds:0} s: {said}");
        }

        return $"127.0.0.1:{port}";
    }

    /// <summary>
    /// ProcessExit does not run when the test host is killed (a blame-hang timeout, a runner that terminates it under
    /// load): a small shell outlives it by at most a second and stops the private server then, so none is left behind.
    /// </summary>
    private static void StartReaper(int serverPid)
    {
        if (!File.Exists("/bin/sh")) return;
        var reaper = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        reaper.ArgumentList.Add("-c");
        reaper.ArgumentList.Add($"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; kill {serverPid} 2>/dev/null");
        Process.Start(reaper)?.Dispose();
    }

    private static void StopPrivate()
    {
        if (Interlocked.Exchange(ref s_privateServer, null) is { } process)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                // Once it has exited (bounded), the parameterless overload only waits for its output to drain.
                if (process.WaitForExit(5000)) process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        if (Interlocked.Exchange(ref s_privateDirectory, null) is { } directory)
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
