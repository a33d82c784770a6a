namespace ResponsesWebSocket.Tests.Support;

/// <summary>
/// Builds the frames of one response, in the shapes the service streams, for <c>ScriptedReply.FromRawEvents</c>: the local
/// server sends them verbatim, so tests can stream item types its scripted model does not produce (hosted tools, MCP).
/// </summary>
internal sealed class RawStream
{
    private const long CreatedAt = 1700000000;

    private readonly List<string> _frames = [];
    private readonly List<string> _output = [];
    private readonly string _responseId;
    private int _sequence;

    public RawStream(string responseId)
    {
        _responseId = responseId;
        Add("response.created", $$"""
            "response":{"id":"{{responseId}}","object":"response","created_at":{{CreatedAt}},"status":"in_progress","model":"local-model","output":[]}
            """);
        Add("response.in_progress", $$"""
            "response":{"id":"{{responseId}}","object":"response","created_at":{{CreatedAt}},"status":"in_progress","model":"local-model","output":[]}
            """);
    }

    /// <summary>Gets the number of the next output item.</summary>
    public int NextOutputIndex => _output.Count;

    /// <summary>Adds one event: <paramref name="fields"/> are the JSON members after <c>type</c> and <c>sequence_number</c>.</summary>
    public RawStream Add(string type, string fields = "")
    {
        var rest = fields.Trim();
        _frames.Add($$"""{"type":"{{type}}","sequence_number":{{_sequence++}}{{(rest.Length > 0 ? "," + rest : "")}}}""");
        return this;
    }

    /// <summary>
    /// Adds an output item: <c>output_item.added</c> with <paramref name="added"/>, the item's own events (their fields get
    /// <c>output_index</c> and <c>item_id</c>), then <c>output_item.done</c> with <paramref name="done"/>, byte for byte.
    /// </summary>
    public RawStream Item(string itemId, string added, string done, params (string Type, string Fields)[] events)
    {
        var index = _output.Count;
        Add("response.output_item.added", $"\"output_index\":{index},\"item\":{added}");
        foreach (var (type, fields) in events)
        {
            Add(type, $"\"output_index\":{index},\"item_id\":\"{itemId}\"" + (fields.Length > 0 ? "," + fields : string.Empty));
        }

        Add("response.output_item.done", $"\"output_index\":{index},\"item\":{done}");
        _output.Add(done);
        return this;
    }

    /// <summary>Adds an assistant message streamed as one text delta.</summary>
    public RawStream Message(string id, string text)
    {
        var escaped = System.Text.Json.JsonEncodedText.Encode(text).ToString();
        return Item(
            id,
            $$"""{"id":"{{id}}","type":"message","status":"in_progress","role":"assistant","content":[]}""",
            $$"""{"id":"{{id}}","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"{{escaped}}","annotations":[]}]}""",
            ("response.content_part.added", "\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}"),
            ("response.output_text.delta", $"\"content_index\":0,\"delta\":\"{escaped}\",\"logprobs\":[]"),
            ("response.output_text.done", $"\"content_index\":0,\"text\":\"{escaped}\",\"logprobs\":[]"));
    }

    /// <summary>Ends the response with <c>response.completed</c> carrying the output and usage; returns all frames.</summary>
    public IReadOnlyList<string> Completed()
    {
        const string Usage = """{"input_tokens":10,"input_tokens_details":{"cached_tokens":0},"output_tokens":5,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":15}""";
        Add("response.completed", $$"""
            "response":{"id":"{{_responseId}}","object":"response","created_at":{{CreatedAt}},"status":"completed","model":"local-model","output":[{{string.Join(",", _output)}}],"usage":{{Usage}}}
            """);
        return _frames;
    }
}
