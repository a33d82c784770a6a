using System.Globalization;
using ResponsesWebSocket.Testing;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>
/// The scripted model behind every scenario: the user message says how many calls to make ("loop 20"); the model calls
/// <c>get_data</c> once per turn until that many results have come back, then answers with a short text.
/// Stateless, so every client and every run sees exactly the same replies.
/// </summary>
internal static class ScenarioModel
{
    public const string ToolName = "get_data";
    public const string FinalText = "All the requested data has been collected and checked; here is the short summary you asked for.";

    public static string Prompt(int calls) => "loop " + calls.ToString(CultureInfo.InvariantCulture);

    public static ScriptedReply Reply(ModelTurn turn)
    {
        var wanted = int.Parse(turn.LastUserText!.AsSpan(5), CultureInfo.InvariantCulture);
        var done = turn.FunctionOutputsSinceLastUserMessage.Count;
        return done < wanted
            ? ScriptedReply.CallFunctions(new ScriptedFunctionCall(ToolName, "{\"index\":" + done.ToString(CultureInfo.InvariantCulture) + "}"))
            : ScriptedReply.WithText(FinalText);
    }

    /// <summary>A tool result of exactly <paramref name="bytes"/> ASCII characters that need no JSON escaping.</summary>
    public static string Payload(int bytes)
    {
        const string alphabet = "abcdefghij klmnopqrstuvwxyz 0123456789 ";
        return string.Create(bytes, alphabet, static (span, a) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = a[i % a.Length];
        });
    }
}
