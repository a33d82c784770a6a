using System.Text;
using System.Text.Json;

namespace ResponsesWebSocket.Testing;

/// <summary>A deterministic stand-in for a tokenizer: about one token per four UTF-8 bytes.</summary>
internal static class TokenEstimator
{
    public static int Count(string? text) =>
        string.IsNullOrEmpty(text) ? 0 : Math.Max(1, (Encoding.UTF8.GetByteCount(text) + 3) / 4);

    public static int Count(IEnumerable<JsonElement> items) => items.Sum(item => Count(item.GetRawText()));
}
