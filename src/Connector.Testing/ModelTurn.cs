using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>What the <see cref="ScriptedModel"/> sees when it is asked for one reply.</summary>
public sealed class ModelTurn
{
    internal ModelTurn(
        IReadOnlyList<JsonElement> context,
        IReadOnlyList<JsonElement> newInput,
        string model,
        string? instructions,
        IReadOnlyList<JsonElement> tools,
        JsonElement request,
        int connectionId)
    {
        Context = context;
        NewInput = newInput;
        Model = model;
        Instructions = instructions;
        Tools = tools;
        Request = request;
        ConnectionId = connectionId;

        var lastUser = -1;
        for (var i = context.Count - 1; i >= 0; i--)
        {
            if (InputItems.IsMessageWithRole(context[i], "user"))
            {
                lastUser = i;
                break;
            }
        }

        LastUserText = lastUser < 0 || !context[lastUser].TryGetProperty("content", out var content)
            ? null
            : InputItems.TextOf(content);
        FunctionOutputsSinceLastUserMessage = [.. context.Skip(lastUser + 1).Where(item => InputItems.TypeOf(item) == "function_call_output")];
    }

    /// <summary>The full resolved input: the chained context (previous input and output items), then <see cref="NewInput"/>.</summary>
    public IReadOnlyList<JsonElement> Context { get; }

    /// <summary>The input items of this request only.</summary>
    public IReadOnlyList<JsonElement> NewInput { get; }

    /// <summary>The requested model.</summary>
    public string Model { get; }

    /// <summary>The request's <c>instructions</c>.</summary>
    public string? Instructions { get; }

    /// <summary>The request's <c>tools</c>.</summary>
    public IReadOnlyList<JsonElement> Tools { get; }

    /// <summary>The whole request object, as received.</summary>
    public JsonElement Request { get; }

    /// <summary>The WebSocket connection id (1, 2, …), or 0 for HTTP.</summary>
    public int ConnectionId { get; }

    /// <summary>The request's <c>stream_id</c> (the WebSocket lane), or <see langword="null"/> on the default lane and over HTTP.</summary>
    public string? StreamId => InputItems.StringProperty(Request, "stream_id");

    /// <summary>The text of the last user message in <see cref="Context"/>, or <see langword="null"/> when there is none.</summary>
    public string? LastUserText { get; }

    /// <summary>The <c>function_call_output</c> items that follow the last user message.</summary>
    public IReadOnlyList<JsonElement> FunctionOutputsSinceLastUserMessage { get; }
}
