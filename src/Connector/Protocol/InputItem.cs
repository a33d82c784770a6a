namespace ResponsesWebSocket.Protocol;

/// <summary>
/// One Responses input item, already serialized to compact UTF-8 JSON.
/// </summary>
/// <remarks>
/// Items are serialized once, when they are mapped, so that a resend (a full create after a broken chain)
/// writes exactly the bytes that were sent or received the first time. The model's own output items are
/// kept as the raw bytes the server returned, which is why this type holds JSON rather than a typed tree.
/// </remarks>
internal sealed class InputItem
{
    public InputItem(InputItemKind kind, byte[] json, string? role = null, string? callId = null, string? id = null)
    {
        Kind = kind;
        Json = json;
        Role = role;
        CallId = callId;
        Id = id;
    }

    /// <summary>Gets what kind of item this is.</summary>
    public InputItemKind Kind { get; }

    /// <summary>Gets the item as compact UTF-8 JSON (one object).</summary>
    public byte[] Json { get; }

    /// <summary>Gets the message role (<c>user</c>, <c>system</c>, <c>developer</c>, <c>assistant</c>) for message items.</summary>
    public string? Role { get; }

    /// <summary>Gets the <c>call_id</c> of function_call and function_call_output items.</summary>
    public string? CallId { get; }

    /// <summary>Gets the server-assigned item id (<c>msg_…</c>, <c>fc_…</c>, <c>rs_…</c>) when the item has one.</summary>
    public string? Id { get; }

    /// <summary>
    /// Gets the content identity used to match resent history against transcripts (<see langword="null"/> for reasoning).
    /// Computed on first use and cached, since transcript items are compared on every turn.
    /// </summary>
    public UInt128? MatchKey
    {
        get
        {
            if (!_matchKeyComputed)
            {
                _matchKey = ItemKey.Compute(this);
                _matchKeyComputed = true;
            }

            return _matchKey;
        }
    }

    private UInt128? _matchKey;
    private volatile bool _matchKeyComputed;

    /// <summary>
    /// Gets whether this is a reasoning item that carries an id but no encrypted content. With <c>store=false</c> the
    /// service has nothing to resolve the id against and rejects the whole request (404 "Item with id 'rs_…' not found"),
    /// so such an item is never sent then. Read only when a request is written without <c>store</c>, so not cached.
    /// </summary>
    public bool IsIdOnlyReasoning => Kind == InputItemKind.Reasoning && Id is not null && !HasEncryptedContent(Json);

    /// <summary>Gets whether this item is something the model produced (and the server therefore already holds on a live chain).</summary>
    public bool IsModelOutput => Kind is InputItemKind.FunctionCall or InputItemKind.Reasoning or InputItemKind.ModelItem
        || (Kind == InputItemKind.Message && Role == "assistant");

    private static bool HasEncryptedContent(ReadOnlySpan<byte> json)
    {
        var reader = new System.Text.Json.Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var isEncrypted = reader.ValueTextEquals("encrypted_content"u8);
                if (!reader.Read()) return false;
                if (isEncrypted) return reader.TokenType == System.Text.Json.JsonTokenType.String && reader.ValueSpan.Length > 0;
                reader.Skip();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Our own or the server's bytes, parsed before; unreadable means there is nothing to resend it with.
        }

        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => System.Text.Encoding.UTF8.GetString(Json);
}
