using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ResponsesWebSocket.Tests.Support;

/// <summary>A real logger factory that keeps every formatted message (all levels) and its structured values, for assertions.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private readonly List<Action<CapturedLog>> _listeners = [];

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    /// <summary>Completes when an entry with this event name is logged (or was already).</summary>
    public Task WaitForAsync(string eventName)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_listeners)
        {
            _listeners.Add(entry =>
            {
                if (entry.EventName == eventName) seen.TrySetResult();
            });
        }

        if (_entries.Any(e => e.EventName == eventName)) seen.TrySetResult();
        return seen.Task;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private void Add(CapturedLog entry)
    {
        _entries.Enqueue(entry);
        Action<CapturedLog>[] listeners;
        lock (_listeners) listeners = [.. _listeners];
        foreach (var listener in listeners) listener(entry);
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => $"{p.Key}={p.Value}").ToList()
                : [];
            owner.Add(new CapturedLog(logLevel, eventId.Name, formatter(state, exception), values));
        }
    }
}

/// <summary>One captured log entry.</summary>
internal sealed record CapturedLog(LogLevel Level, string? EventName, string Message, IReadOnlyList<string> Values);
