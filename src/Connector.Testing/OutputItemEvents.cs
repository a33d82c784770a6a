using System.Text;
using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Plans the events of one output item (added → item-specific deltas → done), in the shapes the live service streams,
/// and appends the finished item to the response's output.
/// </summary>
internal sealed class OutputItemEvents(EventListBuilder events, ResponseSnapshot snapshot, IdGenerator ids)
{
    private const int ArgumentChunkSize = 8;

    /// <param name="summary">The summary text; empty for a reasoning item without a summary (the common case).</param>
    /// <param name="seal">Makes the item's <c>encrypted_content</c> from its id, or <see langword="null"/> when not requested.</param>
    public void Reasoning(string summary, Func<string, string>? seal)
    {
        var outputIndex = snapshot.Output.Count;
        var id = ids.Next("rs");
        var encrypted = seal?.Invoke(id);

        void WriteItem(Utf8JsonWriter writer, bool done)
        {
            writer.WriteString("id", id);
            writer.WriteString("type", "reasoning");
            writer.WriteStartArray("summary");
            if (done && summary.Length > 0)
            {
                WriteSummaryPart(writer, summary);
            }

            writer.WriteEndArray();
            if (encrypted is not null)
            {
                writer.WriteString("encrypted_content", encrypted);
            }
        }

        ItemAdded(outputIndex, writer => WriteItem(writer, done: false));
        if (summary.Length > 0)
        {
            events.Add("response.reasoning_summary_part.added", writer =>
            {
                WriteLocation(writer, id, outputIndex, "summary_index", 0);
                writer.WritePropertyName("part");
                WriteSummaryPart(writer, string.Empty);
            });
            foreach (var delta in TextChunker.Words(summary))
            {
                events.Add("response.reasoning_summary_text.delta", writer =>
                {
                    WriteLocation(writer, id, outputIndex, "summary_index", 0);
                    writer.WriteString("delta", delta);
                });
            }

            events.Add("response.reasoning_summary_text.done", writer =>
            {
                WriteLocation(writer, id, outputIndex, "summary_index", 0);
                writer.WriteString("text", summary);
            });
            events.Add("response.reasoning_summary_part.done", writer =>
            {
                WriteLocation(writer, id, outputIndex, "summary_index", 0);
                writer.WritePropertyName("part");
                WriteSummaryPart(writer, summary);
            });
        }

        ItemDone(outputIndex, writer => WriteItem(writer, done: true));
    }

    public void Message(string? text, IReadOnlyList<ScriptedCitation> citations, string? refusal)
    {
        var outputIndex = snapshot.Output.Count;
        var id = ids.Next("msg");
        ItemAdded(outputIndex, writer => WriteMessage(writer, id, "in_progress", []));

        var parts = new List<Action<Utf8JsonWriter>>();
        if (text is not null)
        {
            parts.Add(OutputText(id, outputIndex, parts.Count, text, citations));
        }

        if (refusal is not null)
        {
            parts.Add(Refusal(id, outputIndex, parts.Count, refusal));
        }

        ItemDone(outputIndex, writer => WriteMessage(writer, id, "completed", parts));
    }

    public void FunctionCall(ScriptedFunctionCall call)
    {
        var outputIndex = snapshot.Output.Count;
        var id = ids.Next("fc");
        var callId = ids.Next("call");
        var arguments = JsonBytes.Compact(call.ArgumentsJson);

        void WriteItem(Utf8JsonWriter writer, string status, string itemArguments)
        {
            writer.WriteString("id", id);
            writer.WriteString("type", "function_call");
            writer.WriteString("status", status);
            writer.WriteString("arguments", itemArguments);
            writer.WriteString("call_id", callId);
            writer.WriteString("name", call.Name);
        }

        ItemAdded(outputIndex, writer => WriteItem(writer, "in_progress", string.Empty));
        foreach (var delta in TextChunker.Fixed(arguments, ArgumentChunkSize))
        {
            events.Add("response.function_call_arguments.delta", writer =>
            {
                WriteLocation(writer, id, outputIndex);
                writer.WriteString("delta", delta);
            });
        }

        events.Add("response.function_call_arguments.done", writer =>
        {
            WriteLocation(writer, id, outputIndex);
            writer.WriteString("name", call.Name);
            writer.WriteString("arguments", arguments);
        });
        ItemDone(outputIndex, writer => WriteItem(writer, "completed", arguments));
    }

    private Action<Utf8JsonWriter> OutputText(string id, int outputIndex, int contentIndex, string text, IReadOnlyList<ScriptedCitation> citations)
    {
        void WritePart(Utf8JsonWriter writer, string partText, IReadOnlyList<ScriptedCitation> annotations)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "output_text");
            writer.WriteStartArray("annotations");
            foreach (var citation in annotations)
            {
                WriteCitation(writer, citation);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("logprobs");
            writer.WriteEndArray();
            writer.WriteString("text", partText);
            writer.WriteEndObject();
        }

        PartEvent("response.content_part.added", id, outputIndex, contentIndex, writer => WritePart(writer, string.Empty, []));
        foreach (var delta in TextChunker.Words(text))
        {
            events.Add("response.output_text.delta", writer =>
            {
                WriteLocation(writer, id, outputIndex, "content_index", contentIndex);
                writer.WriteString("delta", delta);
                writer.WriteStartArray("logprobs");
                writer.WriteEndArray();
            });
        }

        events.Add("response.output_text.done", writer =>
        {
            WriteLocation(writer, id, outputIndex, "content_index", contentIndex);
            writer.WriteString("text", text);
            writer.WriteStartArray("logprobs");
            writer.WriteEndArray();
        });
        for (var i = 0; i < citations.Count; i++)
        {
            var annotationIndex = i;
            events.Add("response.output_text.annotation.added", writer =>
            {
                WriteLocation(writer, id, outputIndex, "content_index", contentIndex);
                writer.WriteNumber("annotation_index", annotationIndex);
                writer.WritePropertyName("annotation");
                WriteCitation(writer, citations[annotationIndex]);
            });
        }

        PartEvent("response.content_part.done", id, outputIndex, contentIndex, writer => WritePart(writer, text, citations));
        return writer => WritePart(writer, text, citations);
    }

    private Action<Utf8JsonWriter> Refusal(string id, int outputIndex, int contentIndex, string refusal)
    {
        static void WritePart(Utf8JsonWriter writer, string partRefusal)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "refusal");
            writer.WriteString("refusal", partRefusal);
            writer.WriteEndObject();
        }

        PartEvent("response.content_part.added", id, outputIndex, contentIndex, writer => WritePart(writer, string.Empty));
        foreach (var delta in TextChunker.Words(refusal))
        {
            events.Add("response.refusal.delta", writer =>
            {
                WriteLocation(writer, id, outputIndex, "content_index", contentIndex);
                writer.WriteString("delta", delta);
            });
        }

        events.Add("response.refusal.done", writer =>
        {
            WriteLocation(writer, id, outputIndex, "content_index", contentIndex);
            writer.WriteString("refusal", refusal);
        });
        PartEvent("response.content_part.done", id, outputIndex, contentIndex, writer => WritePart(writer, refusal));
        return writer => WritePart(writer, refusal);
    }

    private void PartEvent(string type, string id, int outputIndex, int contentIndex, Action<Utf8JsonWriter> writePart) =>
        events.Add(type, writer =>
        {
            WriteLocation(writer, id, outputIndex, "content_index", contentIndex);
            writer.WritePropertyName("part");
            writePart(writer);
        });

    private void ItemAdded(int outputIndex, Action<Utf8JsonWriter> writeItemProperties)
    {
        var item = JsonBytes.ToElement(writeItemProperties);
        events.Add("response.output_item.added", writer =>
        {
            writer.WriteNumber("output_index", outputIndex);
            writer.WritePropertyName("item");
            item.WriteTo(writer);
        });
    }

    private void ItemDone(int outputIndex, Action<Utf8JsonWriter> writeItemProperties)
    {
        var item = JsonBytes.ToElement(writeItemProperties);
        events.Add("response.output_item.done", writer =>
        {
            writer.WriteNumber("output_index", outputIndex);
            writer.WritePropertyName("item");
            item.WriteTo(writer);
        });
        snapshot.Output.Add(item);
    }

    private static void WriteMessage(Utf8JsonWriter writer, string id, string status, IReadOnlyList<Action<Utf8JsonWriter>> parts)
    {
        writer.WriteString("id", id);
        writer.WriteString("type", "message");
        writer.WriteString("status", status);
        writer.WriteString("role", "assistant");
        writer.WriteStartArray("content");
        foreach (var writePart in parts)
        {
            writePart(writer);
        }

        writer.WriteEndArray();
    }

    private static void WriteLocation(Utf8JsonWriter writer, string itemId, int outputIndex, string? indexName = null, int index = 0)
    {
        writer.WriteString("item_id", itemId);
        writer.WriteNumber("output_index", outputIndex);
        if (indexName is not null)
        {
            writer.WriteNumber(indexName, index);
        }
    }

    private static void WriteSummaryPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "summary_text");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static void WriteCitation(Utf8JsonWriter writer, ScriptedCitation citation)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "url_citation");
        writer.WriteString("url", citation.Url);
        writer.WriteString("title", citation.Title);
        writer.WriteNumber("start_index", citation.Start);
        writer.WriteNumber("end_index", citation.End);
        writer.WriteEndObject();
    }
}
