using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// One request the server received: a WebSocket text message or a POST body, kept verbatim, with accessors for the
/// fields tests most often assert on. Accessors are lenient: malformed JSON yields <see langword="null"/>, 0 or empty.
/// </summary>
public sealed class ReceivedRequest
{
    // The accessors parse on first use: benchmarks record every request but rarely look at one.
    private readonly Lock _parseGate = new();
    private bool _parsed;
    private string? _previousResponseId;
    private string? _streamId;
    private bool? _store;
    private IReadOnlyList<string> _inputItemTypes = [];
    private string? _lastUserText;
    private HashSet<string> _topLevelProperties = [];

    /// <summary>Creates a record of one received request.</summary>
    /// <param name="connectionId">The WebSocket connection id (1, 2, …), or 0 for HTTP.</param>
    /// <param name="transport"><c>websocket</c> or <c>http</c>.</param>
    /// <param name="json">The raw message or body text.</param>
    public ReceivedRequest(int connectionId, string transport, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ConnectionId = connectionId;
        Transport = transport;
        Json = json;
    }

    /// <summary>The WebSocket connection id (1, 2, …), or 0 for HTTP.</summary>
    public int ConnectionId { get; }

    /// <summary><c>websocket</c> or <c>http</c>.</summary>
    public string Transport { get; }

    /// <summary>The raw message or body text.</summary>
    public string Json { get; }

    /// <summary>
    /// The order of receipt across the whole server, WebSocket messages and POST bodies alike: 1 for the first request,
    /// 2 for the second, … (0 for an instance the server did not record). Useful to target a fault with <see cref="FaultPlan.When"/>.
    /// </summary>
    public int Sequence { get; internal set; }

    /// <summary>
    /// The text of the last user message in this request's own <c>input</c> (a string input counts as one), or
    /// <see langword="null"/> when it has none; continued context is not included.
    /// </summary>
    public string? LastUserText
    {
        get
        {
            EnsureParsed();
            return _lastUserText;
        }
    }

    /// <summary>The <c>previous_response_id</c>, or <see langword="null"/> when absent or null.</summary>
    public string? PreviousResponseId
    {
        get
        {
            EnsureParsed();
            return _previousResponseId;
        }
    }

    /// <summary>The <c>stream_id</c> (a WebSocket lane), or <see langword="null"/> when absent, null or not a string.</summary>
    public string? StreamId
    {
        get
        {
            EnsureParsed();
            return _streamId;
        }
    }

    /// <summary>The explicit <c>store</c> value, or <see langword="null"/> when the request omitted it.</summary>
    public bool? Store
    {
        get
        {
            EnsureParsed();
            return _store;
        }
    }

    /// <summary>The number of input items (a string <c>input</c> counts as one message).</summary>
    public int InputCount => InputItemTypes.Count;

    /// <summary>The <c>type</c> of each input item, in order (<c>message</c> for role/content items without a type).</summary>
    public IReadOnlyList<string> InputItemTypes
    {
        get
        {
            EnsureParsed();
            return _inputItemTypes;
        }
    }

    /// <summary>Whether the request object has this top-level property (even with a null value).</summary>
    /// <param name="topLevelProperty">The property name, e.g. <c>generate</c> or <c>stream</c>.</param>
    /// <returns><see langword="true"/> when the property is present.</returns>
    public bool Has(string topLevelProperty)
    {
        EnsureParsed();
        return _topLevelProperties.Contains(topLevelProperty);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Transport}#{ConnectionId}: {Json}";

    private void EnsureParsed()
    {
        lock (_parseGate)
        {
            if (_parsed)
            {
                return;
            }

            _parsed = true;
            JsonElement root;
            try
            {
                root = JsonElement.Parse(Json);
            }
            catch (JsonException)
            {
                return;
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            _topLevelProperties = new HashSet<string>(root.EnumerateObject().Select(property => property.Name), StringComparer.Ordinal);
            _previousResponseId = InputItems.StringProperty(root, "previous_response_id");
            _streamId = InputItems.StringProperty(root, "stream_id");
            _store = root.TryGetProperty("store", out var store) && store.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? store.GetBoolean()
                : null;
            if (InputItems.TryNormalize(root, out var items))
            {
                _inputItemTypes = [.. items.Select(item => InputItems.TypeOf(item) ?? "unknown")];
                var lastUser = items.LastOrDefault(item => InputItems.IsMessageWithRole(item, "user"));
                _lastUserText = lastUser.ValueKind == JsonValueKind.Object && lastUser.TryGetProperty("content", out var content)
                    ? InputItems.TextOf(content)
                    : null;
            }
        }
    }
}
