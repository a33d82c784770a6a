using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>
/// Reads the client's own log events to learn which socket a call used and when that socket's reader stopped, so the
/// fuzzer can let a fuzzed stream end completely before it checks the next call.
/// </summary>
/// <remarks>
/// Needed because a server's trailing frames that physically arrive after the next request was sent cannot be told
/// apart from that request's own answer; the fuzzer checks the client, not that ambiguity.
/// </remarks>
internal sealed class ConnectionWatcher : ILoggerFactory, ILogger
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _stopped = new();
    private long _firstCreateConnection = -1;

    /// <summary>Starts watching a call: the next <c>SendingCreate</c> names its socket.</summary>
    public void BeginCall() => Interlocked.Exchange(ref _firstCreateConnection, -1);

    /// <summary>The socket the first create of the watched call went out on, or -1 when none was sent.</summary>
    public long FirstCreateConnection => Interlocked.Read(ref _firstCreateConnection);

    /// <summary>
    /// Completes when the reader of connection <paramref name="connectionId"/> has stopped (a socket's reader loop, or the
    /// event stream of the watched call's HTTP response).
    /// </summary>
    public Task StoppedAsync(long connectionId) => Signal(connectionId).Task;

    public void Forget(long connectionId) => _stopped.TryRemove(connectionId, out _);

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Name is not ("SendingCreate" or "ReaderStopped" or "HttpStreamEnded") || state is not IEnumerable<KeyValuePair<string, object?>> values) return;
        var id = values.FirstOrDefault(v => v.Key == "ConnectionId").Value is long connectionId ? connectionId : -1;
        if (eventId.Name == "SendingCreate")
        {
            // An HTTP channel serves many responses, each ending its own stream: only this call's end counts.
            if (Interlocked.CompareExchange(ref _firstCreateConnection, id, -1) == -1) _stopped.TryRemove(id, out _);
        }
        else
        {
            Signal(id).TrySetResult();
        }
    }

    private TaskCompletionSource Signal(long connectionId) =>
        _stopped.GetOrAdd(connectionId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
