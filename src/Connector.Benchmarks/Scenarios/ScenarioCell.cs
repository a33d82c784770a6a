namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>One shape of work: a FunctionInvokingChatClient loop of <see cref="Calls"/> tool calls, each returning <see cref="ResultBytes"/>.</summary>
/// <param name="Calls">How many tool calls the scripted model makes before it answers with text (turns = calls + 1).</param>
/// <param name="ResultBytes">The size of every tool result string.</param>
/// <param name="Streaming">Whether the loop is driven through GetStreamingResponseAsync (else GetResponseAsync).</param>
internal sealed record ScenarioCell(int Calls, int ResultBytes, bool Streaming)
{
    /// <summary>Gets how many model requests one loop makes.</summary>
    public int Turns => Calls + 1;

    /// <summary>Gets a short label such as <c>20 × 4 KB, streaming</c>.</summary>
    public string Label => $"{Calls} × {(ResultBytes >= 1024 ? $"{ResultBytes / 1024} KB" : $"{ResultBytes} B")}, {(Streaming ? "streaming" : "non-streaming")}";
}
