using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>A parsed <c>response.create</c> message or POST body, with the defaults the API applies.</summary>
internal sealed class CreateRequest
{
    private CreateRequest(JsonElement root, IReadOnlyList<JsonElement> input, string defaultModel)
    {
        Root = root;
        Input = input;
        Type = InputItems.StringProperty(root, "type");
        Model = InputItems.StringProperty(root, "model") ?? defaultModel;
        Instructions = InputItems.StringProperty(root, "instructions");
        PreviousResponseId = InputItems.StringProperty(root, "previous_response_id");

        // store defaults to true when omitted (API reference, WebSocket events).
        Store = !root.TryGetProperty("store", out var store) || store.ValueKind != JsonValueKind.False;
        Stream = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        HasBackground = root.TryGetProperty("background", out _);
        HasGenerate = root.TryGetProperty("generate", out var generate);
        IsWarmup = HasGenerate && generate.ValueKind == JsonValueKind.False;
        Tools = root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array ? [.. tools.EnumerateArray()] : [];
        IncludeEncryptedReasoning = root.TryGetProperty("include", out var include)
            && include.ValueKind == JsonValueKind.Array
            && include.EnumerateArray().Any(entry => entry.ValueKind == JsonValueKind.String && entry.ValueEquals("reasoning.encrypted_content"));
    }

    public JsonElement Root { get; }
    public string? Type { get; }
    public string Model { get; }
    public string? Instructions { get; }
    public string? PreviousResponseId { get; }
    public bool Store { get; }
    public bool Stream { get; }
    public bool HasBackground { get; }
    public bool HasGenerate { get; }

    /// <summary><c>generate:false</c>: prepare state and answer with an empty output.</summary>
    public bool IsWarmup { get; }

    public IReadOnlyList<JsonElement> Input { get; }
    public IReadOnlyList<JsonElement> Tools { get; }
    public bool IncludeEncryptedReasoning { get; }

    public static bool TryParse(string json, string defaultModel, out CreateRequest? request, out ApiError? error)
    {
        request = null;
        JsonElement root;
        try
        {
            root = JsonElement.Parse(json);
        }
        catch (JsonException exception)
        {
            error = ApiError.Invalid($"We could not parse the JSON body of your request. ({exception.Message})");
            return false;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            error = ApiError.Invalid("The request must be a JSON object.");
            return false;
        }

        if (!InputItems.TryNormalize(root, out var input))
        {
            error = ApiError.Invalid("Invalid type for 'input': expected a string or an array of input items.", "input", "invalid_type");
            return false;
        }

        request = new CreateRequest(root, input, defaultModel);
        error = null;
        return true;
    }
}
