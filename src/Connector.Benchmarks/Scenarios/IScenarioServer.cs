namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>Where the scenarios' LocalResponsesServer runs: in this process, or in a child process.</summary>
internal interface IScenarioServer : IAsyncDisposable
{
    /// <summary>Gets the HTTP base address (<c>http://127.0.0.1:{port}/v1</c>).</summary>
    Uri BaseUri { get; }

    /// <summary>Gets the WebSocket endpoint (<c>ws://127.0.0.1:{port}/v1/responses</c>).</summary>
    Uri WebSocketUri { get; }
}
