namespace ResponsesWebSocket.Testing;

/// <summary>Splits text into the small pieces a streaming model would send as deltas.</summary>
internal static class TextChunker
{
    /// <summary>Word-ish pieces: a new piece starts at each whitespace run, so <c>"You said: hi"</c> → <c>"You", " said:", " hi"</c>.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1]))
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        }

        if (start < text.Length)
        {
            pieces.Add(text[start..]);
        }

        return pieces;
    }

    /// <summary>Fixed-size pieces that never split a surrogate pair (arguments arrive in arbitrary chunks on the wire).</summary>
    public static IReadOnlyList<string> Fixed(string text, int size)
    {
        var pieces = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(start + size, text.Length);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end++;
            }

            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }
}
