using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// What the scripted model says when nothing is queued and no responder is set: it drives one tool round trip
/// (call the first function tool, then report its results), and otherwise echoes the user. <c>tool_choice</c> is
/// honoured as <see cref="ToolChoice"/> describes: <c>none</c> never calls; <c>required</c> or a forced function calls
/// on every response, as the service does, so a client must relax the choice after the first call or loop forever.
/// </summary>
internal static class DefaultReplies
{
    public const string Greeting = "Hello from the local Responses server.";

    public static ScriptedReply For(ModelTurn turn)
    {
        var outputs = turn.FunctionOutputsSinceLastUserMessage;
        var choice = ToolChoice.Read(turn.Request);
        var wantsCall = choice.MustCall || (outputs.Count == 0 && !choice.Forbidden);
        if (wantsCall && choice.PickFunction(turn.Tools) is { } tool)
        {
            var name = InputItems.StringProperty(tool, "name") ?? "function";
            var parameters = tool.TryGetProperty("parameters", out var schema) ? schema : default;
            return ScriptedReply.CallFunctions(new ScriptedFunctionCall(name, SchemaSampleArguments.For(parameters)));
        }

        if (outputs.Count > 0)
        {
            return ScriptedReply.WithText("Tool results: " + string.Join(", ", outputs.Select(OutputText)));
        }

        return ScriptedReply.WithText(turn.LastUserText is { Length: > 0 } text ? "You said: " + text : Greeting);
    }

    // function_call_output.output is a string, or a list of content parts.
    private static string OutputText(JsonElement item) =>
        item.TryGetProperty("output", out var output) ? InputItems.TextOf(output) : string.Empty;
}
