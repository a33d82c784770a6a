using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>Collects a response's events, numbering them with <c>sequence_number</c> from 0.</summary>
internal sealed class EventListBuilder
{
    private readonly List<ResponseEvent> _events = [];
    private int _nextSequenceNumber;

    public IReadOnlyList<ResponseEvent> Events => _events;

    /// <summary>Adds <c>{"type":…,"sequence_number":…, fields…}</c>.</summary>
    public void Add(string type, Action<Utf8JsonWriter> writeFields)
    {
        var sequenceNumber = _nextSequenceNumber++;
        _events.Add(new ResponseEvent(type, JsonBytes.Object(writer =>
        {
            writer.WriteString("type", type);
            writer.WriteNumber("sequence_number", sequenceNumber);
            writeFields(writer);
        })));
    }

    /// <summary>Adds an event that carries the response as it is now (created, in_progress, terminal).</summary>
    public void AddResponse(string type, ResponseSnapshot snapshot) => Add(type, writer =>
    {
        writer.WritePropertyName("response");
        snapshot.WriteTo(writer);
    });

    /// <summary>Keeps only the first <paramref name="count"/> events (all of them when there are fewer); numbering continues from there.</summary>
    public void TruncateTo(int count)
    {
        if (count < _events.Count)
        {
            _events.RemoveRange(count, _events.Count - count);
            _nextSequenceNumber = count;
        }
    }

    /// <summary>Adds an event whose JSON was built elsewhere (an <c>error</c>), giving it the next sequence number.</summary>
    public void AddPrebuilt(string type, Func<int, byte[]> buildWithSequenceNumber) =>
        _events.Add(new ResponseEvent(type, buildWithSequenceNumber(_nextSequenceNumber++)));
}
