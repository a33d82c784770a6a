using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>An OpenAI API error, written in the shape each transport uses.</summary>
internal sealed record ApiError(int Status, string Type, string? Code, string Message, string? Param)
{
    public const string InvalidRequest = "invalid_request_error";

    public static ApiError PreviousResponseNotFound(string id) =>
        new(400, InvalidRequest, "previous_response_not_found", $"Previous response with id '{id}' not found.", "previous_response_id");

    public static ApiError NoToolCallFound(string callId) =>
        new(400, InvalidRequest, null, $"No tool call found for function call output with call_id {callId}.", "input");

    public static ApiError InvalidApiKey() =>
        new(401, InvalidRequest, "invalid_api_key", "Incorrect API key provided.", null);

    public static ApiError ConnectionLimitReached() =>
        new(400, InvalidRequest, "websocket_connection_limit_reached",
            "Responses websocket connection limit reached (60 minutes). Create a new websocket connection to continue.", null);

    /// <summary>A non-reasoning model asked for <c>include: ["reasoning.encrypted_content"]</c>.</summary>
    public static ApiError EncryptedContentNotSupported() =>
        new(400, InvalidRequest, null, "Encrypted content is not supported with this model.", "include");

    /// <summary>An input item sent by id alone at <c>store:false</c>, where nothing is persisted to look it up in.</summary>
    public static ApiError ItemNotPersisted(string id) =>
        new(404, InvalidRequest, null,
            $"Item with id '{id}' not found. Items are not persisted when `store` is set to false. Try again with `store` set to true, or remove this item from your input.",
            "input");

    public static ApiError ItemNotFound(string id) =>
        new(404, InvalidRequest, null, $"Item with id '{id}' not found.", "input");

    /// <summary>Reasoning <c>encrypted_content</c> this server did not issue (forged, altered, or from another server instance).</summary>
    public static ApiError EncryptedContentNotVerified(string id) =>
        new(400, InvalidRequest, "invalid_encrypted_content", $"The encrypted content for item {id} could not be verified.", "input");

    public static ApiError EncryptedContentItemMismatch() =>
        new(400, InvalidRequest, "invalid_encrypted_content", "Encrypted content item_id did not match the target item id.", "input");

    public static ApiError Invalid(string message, string? param = null, string? code = null) =>
        new(400, InvalidRequest, code, message, param);

    /// <summary>The WebSocket <c>error</c> event: nested <c>error</c> object plus the HTTP <c>status</c>.</summary>
    public byte[] ToWebSocketEvent(int? sequenceNumber = null) => JsonBytes.Object(writer =>
    {
        writer.WriteString("type", "error");
        if (sequenceNumber is { } sequence)
        {
            writer.WriteNumber("sequence_number", sequence);
        }

        writer.WriteNumber("status", Status);
        WriteNestedError(writer);
    });

    /// <summary>The SSE <c>error</c> event; the live service sends it nested too (openai-dotnet#849), so clients must cope.</summary>
    public byte[] ToServerSentEvent(int sequenceNumber) => JsonBytes.Object(writer =>
    {
        writer.WriteString("type", "error");
        writer.WriteNumber("sequence_number", sequenceNumber);
        WriteNestedError(writer);
    });

    /// <summary>The HTTP error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public byte[] ToHttpBody() => JsonBytes.Object(writer =>
    {
        writer.WriteStartObject("error");
        writer.WriteString("message", Message);
        writer.WriteString("type", Type);
        WriteNullableString(writer, "param", Param);
        WriteNullableString(writer, "code", Code);
        writer.WriteEndObject();
    });

    private void WriteNestedError(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("error");
        writer.WriteString("type", Type);
        WriteNullableString(writer, "code", Code);
        writer.WriteString("message", Message);
        WriteNullableString(writer, "param", Param);
        writer.WriteEndObject();
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
