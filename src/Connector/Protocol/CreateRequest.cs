using System.Text.Json;

namespace ResponsesWebSocket.Protocol;

/// <summary>
/// The logical content of one <c>response.create</c> frame (WebSocket) or <c>POST /v1/responses</c> body (HTTP).
/// </summary>
/// <remarks>
/// Plain data: <see cref="CreateRequestWriter"/> turns it into the flat wire frame. Fields that are JSON fragments
/// (tools, tool choice, text format, reasoning) are held pre-serialized so that comparing two requests and writing
/// them are both cheap.
/// </remarks>
internal sealed class CreateRequest
{
    /// <summary>Gets or sets the model id.</summary>
    public required string Model { get; set; }

    /// <summary>Gets or sets the instructions (not inherited through previous_response_id, so sent every turn).</summary>
    public string? Instructions { get; set; }

    /// <summary>Gets the input items of this frame: the full history, or only the new items of a continuation.</summary>
    public List<InputItem> Input { get; } = [];

    /// <summary>Gets or sets the id of the response this one continues.</summary>
    public string? PreviousResponseId { get; set; }

    /// <summary>Gets or sets a server-side conversation id (<c>conv_…</c>), sent as <c>conversation</c>.</summary>
    public string? Conversation { get; set; }

    /// <summary>Gets or sets whether the service stores the response. Always written explicitly.</summary>
    public bool Store { get; set; }

    /// <summary>Gets or sets <c>generate</c>; only <see langword="false"/> (warmup) is ever written, and never over HTTP.</summary>
    public bool? Generate { get; set; }

    /// <summary>Gets or sets the sampling temperature.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets or sets nucleus sampling.</summary>
    public float? TopP { get; set; }

    /// <summary>Gets or sets the output token limit.</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets or sets <c>parallel_tool_calls</c>.</summary>
    public bool? ParallelToolCalls { get; set; }

    /// <summary>Gets the tool definitions, each one compact JSON object.</summary>
    public List<byte[]> Tools { get; } = [];

    /// <summary>Gets or sets <c>tool_choice</c> as compact JSON (a string literal or an object).</summary>
    public byte[]? ToolChoiceJson { get; set; }

    /// <summary>Gets or sets the <c>reasoning</c> object as compact JSON.</summary>
    public byte[]? ReasoningJson { get; set; }

    /// <summary>Gets or sets the <c>text</c> object (format, verbosity) as compact JSON.</summary>
    public byte[]? TextJson { get; set; }

    /// <summary>
    /// Gets or sets whether <c>reasoning.encrypted_content</c> is added to <c>include</c> (merged with the caller's own
    /// include list, without duplicates). Kept apart from <see cref="Extra"/> so that turning it off for a model that rejects
    /// it does not change the request's chain fingerprint.
    /// </summary>
    public bool IncludeEncryptedReasoning { get; set; }

    /// <summary>
    /// Gets extra top-level fields (include, metadata, prompt_cache_key, service_tier, truncation, …) written verbatim,
    /// in insertion order. A key here never overrides a field the request already writes.
    /// </summary>
    public List<KeyValuePair<string, JsonElement>> Extra { get; } = [];
}
