namespace ResponsesWebSocket.Tests.Security;

/// <summary>Well-formed raw event streams, shaped as the service sends them, for raw replies of the local server.</summary>
/// <remarks>Templates with <c>@NAME@</c> placeholders: JSON braces make interpolated strings unreadable.</remarks>
internal static class RawStreams
{
    public static string Created(string responseId, string createdAt = "1700000000", string sequence = "0") =>
        Fill("""{"type":"response.created","sequence_number":@SEQ@,"response":{"id":"@RID@","object":"response","created_at":@AT@,"status":"in_progress","model":"local-model","output":[]}}""",
            ("SEQ", sequence), ("RID", responseId), ("AT", createdAt));

    public static string InProgress(string responseId) =>
        Fill("""{"type":"response.in_progress","response":{"id":"@RID@","status":"in_progress","output":[]}}""", ("RID", responseId));

    public static string Delta(string itemId, string text, string sequence = "5") =>
        Fill("""{"type":"response.output_text.delta","sequence_number":@SEQ@,"item_id":"@IID@","output_index":0,"content_index":0,"delta":"@TEXT@"}""",
            ("SEQ", sequence), ("IID", itemId), ("TEXT", text));

    public static string Completed(string responseId, string itemId, string text) =>
        Fill("""{"type":"response.completed","response":{"id":"@RID@","object":"response","created_at":1700000000,"status":"completed","model":"local-model","output":[@ITEM@],"usage":{"input_tokens":3,"output_tokens":2,"total_tokens":5}}}""",
            ("RID", responseId), ("ITEM", MessageItem(itemId, text)));

    /// <summary>created, in_progress, one message item streamed as <paramref name="deltas"/>, completed.</summary>
    public static List<string> TextResponse(string responseId, string itemId, params string[] deltas)
    {
        var text = string.Concat(deltas);
        var frames = new List<string>
        {
            Created(responseId),
            InProgress(responseId),
            Fill("""{"type":"response.output_item.added","output_index":0,"item":{"id":"@IID@","type":"message","status":"in_progress","role":"assistant","content":[]}}""", ("IID", itemId)),
            Fill("""{"type":"response.content_part.added","item_id":"@IID@","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}""", ("IID", itemId)),
        };
        frames.AddRange(deltas.Select(d => Delta(itemId, d)));
        frames.Add(Fill("""{"type":"response.output_text.done","item_id":"@IID@","output_index":0,"content_index":0,"text":"@TEXT@"}""", ("IID", itemId), ("TEXT", text)));
        frames.Add(Fill("""{"type":"response.content_part.done","item_id":"@IID@","output_index":0,"content_index":0,"part":{"type":"output_text","text":"@TEXT@","annotations":[]}}""", ("IID", itemId), ("TEXT", text)));
        frames.Add(Fill("""{"type":"response.output_item.done","output_index":0,"item":@ITEM@}""", ("ITEM", MessageItem(itemId, text))));
        frames.Add(Completed(responseId, itemId, text));
        return frames;
    }

    private static string MessageItem(string itemId, string text) =>
        Fill("""{"id":"@IID@","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"@TEXT@","annotations":[]}]}""",
            ("IID", itemId), ("TEXT", text));

    private static string Fill(string template, params (string Name, string Value)[] values)
    {
        foreach (var (name, value) in values) template = template.Replace("@" + name + "@", value, StringComparison.Ordinal);
        return template;
    }
}
