// Wire records for the parts of server events that are deserialized as objects. They are plain data,
// filled by the source-generated ResponsesJsonContext; they declare only the fields the client reads, and every other
// field is skipped by System.Text.Json.
// Kept in one file because each is a handful of properties and they only make sense together.
using System.Text.Json.Serialization;

namespace ResponsesWebSocket.Protocol;

/// <summary>A <c>Response</c> object snapshot (created, in_progress, completed, incomplete, failed).</summary>
/// <remarks>
/// No <c>output</c>: the items come from <c>response.output_item.done</c>, and declaring the list made the serializer build
/// every output item again on the terminal event (and push a frame, allocating its stack, on every snapshot).
/// </remarks>
internal sealed class ResponseWire
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("created_at")] public long? CreatedAt { get; set; }
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("error")] public ErrorWire? Error { get; set; }
    [JsonPropertyName("incomplete_details")] public IncompleteDetailsWire? IncompleteDetails { get; set; }
    [JsonPropertyName("usage")] public UsageWire? Usage { get; set; }
}

/// <summary>An error object: <c>response.error</c> or the nested <c>error</c> of an error event.</summary>
internal sealed class ErrorWire
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("code"), JsonConverter(typeof(ErrorCodeConverter))] public string? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("param")] public string? Param { get; set; }
}

/// <summary><c>incomplete_details</c>.</summary>
internal sealed class IncompleteDetailsWire
{
    [JsonPropertyName("reason")] public string? Reason { get; set; }
}

/// <summary><c>usage</c>.</summary>
internal sealed class UsageWire
{
    [JsonPropertyName("input_tokens")] public long? InputTokens { get; set; }
    [JsonPropertyName("output_tokens")] public long? OutputTokens { get; set; }
    [JsonPropertyName("total_tokens")] public long? TotalTokens { get; set; }
    [JsonPropertyName("input_tokens_details")] public InputTokensDetailsWire? InputTokensDetails { get; set; }
    [JsonPropertyName("output_tokens_details")] public OutputTokensDetailsWire? OutputTokensDetails { get; set; }
}

/// <summary><c>usage.input_tokens_details</c>.</summary>
internal sealed class InputTokensDetailsWire
{
    [JsonPropertyName("cached_tokens")] public long? CachedTokens { get; set; }
    [JsonPropertyName("cache_write_tokens")] public long? CacheWriteTokens { get; set; }
}

/// <summary><c>usage.output_tokens_details</c>.</summary>
internal sealed class OutputTokensDetailsWire
{
    [JsonPropertyName("reasoning_tokens")] public long? ReasoningTokens { get; set; }
}

/// <summary>An output item (message, function_call, reasoning, hosted-tool calls, …).</summary>
internal sealed class OutputItemWire
{
    [JsonPropertyName("type"), JsonConverter(typeof(WireWordConverter))] public string? Type { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("role"), JsonConverter(typeof(WireWordConverter))] public string? Role { get; set; }
    [JsonPropertyName("content")] public List<ContentPartWire>? Content { get; set; }
    [JsonPropertyName("call_id")] public string? CallId { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("arguments")] public string? Arguments { get; set; }
    [JsonPropertyName("summary")] public List<ContentPartWire>? Summary { get; set; }
    [JsonPropertyName("encrypted_content")] public string? EncryptedContent { get; set; }
}

/// <summary>A content or summary part (<c>output_text</c>, <c>refusal</c>, <c>summary_text</c>, <c>reasoning_text</c>).</summary>
internal sealed class ContentPartWire
{
    [JsonPropertyName("type"), JsonConverter(typeof(WireWordConverter))] public string? Type { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("refusal")] public string? Refusal { get; set; }
    [JsonPropertyName("annotations")] public List<AnnotationWire>? Annotations { get; set; }
}

/// <summary>An annotation on output text (<c>url_citation</c>, <c>file_citation</c>, <c>container_file_citation</c>, <c>file_path</c>).</summary>
internal sealed class AnnotationWire
{
    [JsonPropertyName("type"), JsonConverter(typeof(WireWordConverter))] public string? Type { get; set; }
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("start_index")] public int? StartIndex { get; set; }
    [JsonPropertyName("end_index")] public int? EndIndex { get; set; }
    [JsonPropertyName("file_id")] public string? FileId { get; set; }
    [JsonPropertyName("filename")] public string? Filename { get; set; }
    [JsonPropertyName("container_id")] public string? ContainerId { get; set; }
    [JsonPropertyName("index")] public int? Index { get; set; }
}

/// <summary>An HTTP error body: <c>{"error":{…}}</c>.</summary>
internal sealed class ErrorEnvelopeWire
{
    [JsonPropertyName("error")] public ErrorWire? Error { get; set; }
}
