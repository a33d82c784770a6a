using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// The reasoning item being assembled from one or more <see cref="TextReasoningContent"/>s: their texts concatenated into one
/// <c>summary_text</c> (streamed summary deltas arrive as many contents), the last <see cref="TextReasoningContent.ProtectedData"/>
/// as <c>encrypted_content</c>.
/// </summary>
internal sealed class PendingReasoning
{
    private readonly StringBuilder _text = new();
    private string? _protectedData;

    /// <summary>Gets the reasoning item id (<c>rs_…</c>) when one of the contents carried it.</summary>
    public string? Id { get; private set; }

    /// <summary>
    /// Whether a content with <paramref name="id"/> continues this item: the same id, or a missing id on either side while no
    /// encrypted content has been seen yet. That mirrors how MEAI coalesces reasoning: encrypted content closes an item.
    /// </summary>
    public bool Continues(string? id) =>
        (id is not null && id == Id) || ((id is null || Id is null) && _protectedData is null);

    public void Add(TextReasoningContent reasoning, string? id)
    {
        Id ??= id;
        _text.Append(reasoning.Text);
        if (reasoning.ProtectedData is not null)
        {
            _protectedData = reasoning.ProtectedData;
        }
    }

    public void Clear()
    {
        Id = null;
        _protectedData = null;
        _text.Clear();
    }

    /// <summary>
    /// Writes the reasoning item and clears the state. Returns <see langword="null"/> when the service could not accept it:
    /// without an id (a stored item it can look up) or encrypted content (the stateless blob) summary text alone is not
    /// valid reasoning input.
    /// </summary>
    public InputItem? Build(ItemJsonWriter json)
    {
        string? id = Id;
        string? protectedData = _protectedData;
        string text = _text.ToString();
        Clear();

        if (id is null && protectedData is null)
        {
            return null;
        }

        Utf8JsonWriter writer = json.Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "reasoning"u8);
        if (id is not null)
        {
            writer.WriteString("id"u8, id);
        }

        writer.WritePropertyName("summary"u8);
        writer.WriteStartArray();
        if (text.Length > 0)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "summary_text"u8);
            writer.WriteString("text"u8, text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (protectedData is not null)
        {
            writer.WriteString("encrypted_content"u8, protectedData);
        }

        writer.WriteEndObject();
        return new InputItem(InputItemKind.Reasoning, json.End(), id: id);
    }
}
