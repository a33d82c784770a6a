using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// A request's <c>tool_choice</c> as the default scripted model obeys it: <c>none</c> never calls, <c>auto</c> (or
/// absent) calls once per user turn, <c>required</c> and a forced <c>{"type":"function","name":…}</c> call on every
/// response, and <c>allowed_tools</c> narrows the candidates with its own <c>auto</c>/<c>required</c> mode.
/// Hosted, custom and MCP choices are treated as <c>auto</c>: the scripted model only emits function calls.
/// </summary>
internal sealed class ToolChoice
{
    private static readonly ToolChoice Auto = new(mustCall: false, forbidden: false, forcedName: null, allowedNames: null);

    private readonly HashSet<string>? _allowedNames;

    private ToolChoice(bool mustCall, bool forbidden, string? forcedName, HashSet<string>? allowedNames)
    {
        MustCall = mustCall;
        Forbidden = forbidden;
        ForcedName = forcedName;
        _allowedNames = allowedNames;
    }

    /// <summary><c>required</c>, a forced function, or <c>allowed_tools</c> in <c>required</c> mode: every response calls a tool.</summary>
    public bool MustCall { get; }

    /// <summary><c>none</c>: no response calls a tool.</summary>
    public bool Forbidden { get; }

    /// <summary>The function a <c>{"type":"function","name":…}</c> choice forces.</summary>
    public string? ForcedName { get; }

    public static ToolChoice Read(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("tool_choice", out var choice))
        {
            return Auto;
        }

        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "none" => new ToolChoice(mustCall: false, forbidden: true, forcedName: null, allowedNames: null),
                "required" => new ToolChoice(mustCall: true, forbidden: false, forcedName: null, allowedNames: null),
                _ => Auto,
            };
        }

        return InputItems.StringProperty(choice, "type") switch
        {
            "function" when InputItems.StringProperty(choice, "name") is { } name =>
                new ToolChoice(mustCall: true, forbidden: false, forcedName: name, allowedNames: null),
            "allowed_tools" => new ToolChoice(
                mustCall: InputItems.StringProperty(choice, "mode") == "required",
                forbidden: false,
                forcedName: null,
                allowedNames: AllowedFunctionNames(choice)),
            _ => Auto,
        };
    }

    /// <summary>
    /// The 400 the service answers before generating when the choice cannot be honoured: a forced function that is not
    /// declared, or a choice that demands a call with no tools at all. <see langword="null"/> when the choice is valid.
    /// </summary>
    public static ApiError? Validate(JsonElement request, IReadOnlyList<JsonElement> tools)
    {
        var choice = Read(request);
        if (choice.MustCall && tools.Count == 0)
        {
            return ApiError.Invalid("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "tool_choice");
        }

        if (choice.ForcedName is { } forced && !tools.Any(tool => IsFunctionNamed(tool, forced)))
        {
            return ApiError.Invalid($"Tool choice '{forced}' not found in 'tools' parameter.", "tool_choice");
        }

        return null;
    }

    /// <summary>The function tool to call: the forced one, else the first declared function the choice allows.</summary>
    public JsonElement? PickFunction(IReadOnlyList<JsonElement> tools)
    {
        foreach (var tool in tools)
        {
            if (InputItems.StringProperty(tool, "type") != "function" || InputItems.StringProperty(tool, "name") is not { } name)
            {
                continue;
            }

            if ((ForcedName is null || ForcedName == name) && (_allowedNames is null || _allowedNames.Contains(name)))
            {
                return tool;
            }
        }

        return null;
    }

    private static bool IsFunctionNamed(JsonElement tool, string name) =>
        InputItems.StringProperty(tool, "type") == "function" && InputItems.StringProperty(tool, "name") == name;

    private static HashSet<string> AllowedFunctionNames(JsonElement choice)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (choice.TryGetProperty("tools", out var allowed) && allowed.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in allowed.EnumerateArray())
            {
                if (InputItems.StringProperty(tool, "type") == "function" && InputItems.StringProperty(tool, "name") is { } name)
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }
}
