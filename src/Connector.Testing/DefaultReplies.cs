using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// What the scripted model says when nothing is queued and no responder is set: it drives one tool round trip
/// (call the first function tool, unless <c>tool_choice</c> is <c>none</c>, then report its results), and otherwise
/// echoes the user.
/// </summary>
internal static class DefaultReplies
{
    public const string Greeting = "Hello from the local Responses server.";

    public static ScriptedReply For(ModelTurn turn)
    {
        var outputs = turn.FunctionOutputsSinceLastUserMessage;
        if (outputs.Count == 0 && !ToolsDisabled(turn.Request) && FirstFunctionTool(turn.Tools) is { } tool)
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

    private static bool ToolsDisabled(JsonElement request) => InputItems.StringProperty(request, "tool_choice") == "none";

    private static JsonElement? FirstFunctionTool(IReadOnlyList<JsonElement> tools)
    {
        foreach (var tool in tools)
        {
            if (InputItems.StringProperty(tool, "type") == "function")
            {
                return tool;
            }
        }

        return null;
    }

    // function_call_output.output is a string, or a list of content parts.
    private static string OutputText(JsonElement item) =>
        item.TryGetProperty("output", out var output) ? InputItems.TextOf(output) : string.Empty;
}
