namespace ResponsesWebSocket.Protocol;

/// <summary>
/// One parsed server event. Only the fields the event type carries are set; the rest stay default.
/// </summary>
/// <remarks>
/// A single flat class instead of one class per event type: the hot events (<c>*.delta</c>) then cost one object
/// plus the delta string, and the consumer switches on <see cref="Type"/> without type tests.
/// <para>An instance is reused once its consumer is done with it (see <see cref="Transport.ResponseTurn.Recycle"/>): the
/// parser then fills it again after <see cref="Reset"/>, so a streamed delta costs its string and no event object. Nothing
/// may keep a reference to an event past the read of the next one; what outlives it (the item, the response snapshot, the
/// raw JSON, strings) are objects of their own, never the event.</para>
/// </remarks>
internal sealed class ServerEvent
{
    /// <summary>Gets or sets the recognised event type.</summary>
    public ServerEventType Type { get; set; }

    /// <summary>Gets or sets the raw <c>type</c> string; only kept for <see cref="ServerEventType.Unknown"/> events (for logs).</summary>
    public string? UnknownTypeName { get; set; }

    /// <summary>Gets or sets <c>sequence_number</c>, when present (not all servers send it).</summary>
    public long? SequenceNumber { get; set; }

    /// <summary>Gets or sets <c>output_index</c> (-1 when absent).</summary>
    public int OutputIndex { get; set; } = -1;

    /// <summary>Gets or sets <c>content_index</c> (-1 when absent).</summary>
    public int ContentIndex { get; set; } = -1;

    /// <summary>Gets or sets <c>summary_index</c> (-1 when absent).</summary>
    public int SummaryIndex { get; set; } = -1;

    /// <summary>Gets or sets <c>item_id</c>.</summary>
    public string? ItemId { get; set; }

    /// <summary>Gets or sets <c>delta</c> of a delta event.</summary>
    public string? Delta { get; set; }

    /// <summary>
    /// Gets or sets the refusal text of <c>response.refusal.done</c>. The final text of other <c>*.done</c> events
    /// (<c>text</c>, <c>arguments</c>) is not materialised: the deltas and the done item already carry it.
    /// </summary>
    public string? Text { get; set; }

    /// <summary>Gets or sets <c>item</c> of <c>response.output_item.*</c>.</summary>
    public OutputItemWire? Item { get; set; }

    /// <summary>Gets or sets the raw UTF-8 JSON of <c>item</c> on <c>response.output_item.done</c>, kept to resend it byte for byte.</summary>
    public byte[]? ItemJson { get; set; }

    /// <summary>Gets or sets the <c>response</c> snapshot of <c>response.*</c> lifecycle events.</summary>
    public ResponseWire? Response { get; set; }

    /// <summary>Gets or sets <c>annotation</c> of <c>response.output_text.annotation.added</c>.</summary>
    public AnnotationWire? Annotation { get; set; }

    /// <summary>Gets or sets the error of an <c>error</c> event (nested or flat shape, normalised).</summary>
    public ResponsesError? Error { get; set; }

    /// <summary>
    /// Gets or sets the whole event as JSON, for callers who observe events the client does not map to content
    /// (<c>ChatResponseUpdate.RawRepresentation</c>): a boxed <see cref="System.Text.Json.JsonElement"/>, boxed once here
    /// so the event stays one reference wider rather than a whole nullable struct on every delta. Not kept for the events
    /// whose payload always becomes content (see <see cref="ServerEventParser"/>), so the per-delta path does not copy every frame.
    /// </summary>
    public object? Raw { get; set; }

    /// <summary>Gets or sets <c>stream_id</c> (lanes; parsed so it never fails, otherwise unused).</summary>
    public string? StreamId { get; set; }

    /// <summary>Clears every field back to a new instance's value, for reuse by the parser. A new property must be cleared here.</summary>
    public void Reset()
    {
        Type = default;
        UnknownTypeName = null;
        SequenceNumber = null;
        OutputIndex = -1;
        ContentIndex = -1;
        SummaryIndex = -1;
        ItemId = null;
        Delta = null;
        Text = null;
        Item = null;
        ItemJson = null;
        Response = null;
        Annotation = null;
        Error = null;
        Raw = null;
        StreamId = null;
    }

    /// <summary>Gets whether this event ends the response it belongs to.</summary>
    public bool IsTerminal => Type is ServerEventType.ResponseCompleted or ServerEventType.ResponseIncomplete
        or ServerEventType.ResponseFailed or ServerEventType.ResponseCancelled or ServerEventType.ResponseDone
        or ServerEventType.Error;
}
