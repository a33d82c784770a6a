using System.Text;
using System.Text.Json;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// The assistant message being assembled: runs of consecutive text (each run one <c>output_text</c> part, however many
/// contents it came from, e.g. un-coalesced streaming deltas) and refusal parts, in order. A message that is only text
/// is written with string content.
/// </summary>
internal sealed class PendingAssistantMessage
{
    private readonly List<(bool IsRefusal, string Text)> _parts = [];
    private readonly StringBuilder _text = new();

    public void AddText(string text) => _text.Append(text);

    public void AddRefusal(string refusal)
    {
        CloseText();
        _parts.Add((true, refusal));
    }

    public void Clear()
    {
        _parts.Clear();
        _text.Clear();
    }

    /// <summary>Writes the message item and clears the state; <see langword="null"/> when there is only empty text, which carries nothing.</summary>
    public InputItem? Build(ItemJsonWriter json)
    {
        CloseText();
        if (_parts.Count == 0)
        {
            return null;
        }

        Utf8JsonWriter writer = json.Begin();
        writer.WriteStartObject();
        writer.WriteString("type"u8, "message"u8);
        writer.WriteString("role"u8, "assistant"u8);
        if (_parts is [(false, var onlyText)])
        {
            // Plain text goes out as the string form of an input message: valid by the published schema (an output_text
            // part list is only valid there on an output message, which requires the id and status we do not have) and
            // accepted by the service for assistant history.
            writer.WriteString("content"u8, onlyText);
            writer.WriteEndObject();
            Clear();
            return new InputItem(InputItemKind.Message, json.End(), role: "assistant");
        }

        writer.WritePropertyName("content"u8);
        writer.WriteStartArray();
        foreach ((bool isRefusal, string text) in _parts)
        {
            writer.WriteStartObject();
            if (isRefusal)
            {
                writer.WriteString("type"u8, "refusal"u8);
                writer.WriteString("refusal"u8, text);
            }
            else
            {
                // annotations is required on output_text input; citations are not replayed (they describe the old output).
                writer.WriteString("type"u8, "output_text"u8);
                writer.WriteString("text"u8, text);
                writer.WritePropertyName("annotations"u8);
                writer.WriteStartArray();
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        Clear();
        return new InputItem(InputItemKind.Message, json.End(), role: "assistant");
    }

    private void CloseText()
    {
        if (_text.Length > 0)
        {
            _parts.Add((false, _text.ToString()));
            _text.Clear();
        }
    }
}
