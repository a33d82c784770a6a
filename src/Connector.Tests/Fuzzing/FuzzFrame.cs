using System.Text;

namespace ResponsesWebSocket.Tests.Fuzzing;

/// <summary>One frame of a fuzzed stream: bytes sent as a WebSocket text message, or as a binary one.</summary>
internal sealed record FuzzFrame(byte[] Bytes, bool Binary = false)
{
    public static FuzzFrame Text(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>A C# expression that rebuilds the frame, for turning a finding into a regression test.</summary>
    public string ToCSharp()
    {
        var text = Encoding.UTF8.GetString(Bytes);
        var roundTrips = !Binary && Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(Bytes) && text.Length <= 2000;
        return roundTrips
            ? "RawFrame.Text(" + SymbolDisplay(text) + ")"
            : (Binary ? "RawFrame.Binary(" : "RawFrame.TextBytes(") + "Convert.FromBase64String(\"" + Convert.ToBase64String(Bytes) + "\"))";
    }

    private static string SymbolDisplay(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                < ' ' or > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
