namespace ResponsesWebSocket.Testing;

/// <summary>A function call the scripted model emits as a <c>function_call</c> output item.</summary>
/// <param name="Name">The function name.</param>
/// <param name="ArgumentsJson">The arguments as JSON text; the server re-emits it compacted.</param>
public sealed record ScriptedFunctionCall(string Name, string ArgumentsJson);
