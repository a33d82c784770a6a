namespace ResponsesWebSocket.Mapping;

/// <summary>What the update mapper remembers about one output item of the current response, keyed by output_index.</summary>
/// <remarks>
/// Keyed by index rather than item id because some proxies rotate ids between events of the same item.
/// </remarks>
internal sealed class OutputItemState
{
    public OutputItemState(string? type, string? itemId, string messageId)
    {
        Type = type;
        ItemId = itemId;
        MessageId = messageId;
    }

    /// <summary>Gets the item type (<c>message</c>, <c>function_call</c>, <c>reasoning</c>, …).</summary>
    public string? Type { get; }

    /// <summary>Gets the item id announced by <c>output_item.added</c>.</summary>
    public string? ItemId { get; }

    /// <summary>Gets the <c>MessageId</c> every update of this item carries.</summary>
    public string MessageId { get; }

    /// <summary>Gets or sets whether text (or code) deltas were streamed, so the done item's text is not emitted twice.</summary>
    public bool StreamedText { get; set; }

    /// <summary>Gets or sets whether a progress event already surfaced the tool call content (image generation).</summary>
    public bool SurfacedCall { get; set; }

    /// <summary>Gets or sets whether a refusal was already surfaced.</summary>
    public bool SurfacedRefusal { get; set; }

    /// <summary>Gets or sets how many annotations were streamed.</summary>
    public int StreamedAnnotations { get; set; }
}
