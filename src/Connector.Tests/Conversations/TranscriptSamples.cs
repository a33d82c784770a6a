using System.Text;
using ResponsesWebSocket.Conversations;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Tests.Conversations;

/// <summary>Turns shaped like a real tool loop (the item JSON the client sends and the service returns), for the codec and store tests.</summary>
internal static class TranscriptSamples
{
    public const string CallId = "call_Xr8vN2kQ5mT1pL7wB3cD9fGh";

    private static readonly System.Text.Json.JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly UInt128 Fingerprint = new(0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210);

    /// <summary>The first turn of a tool loop: the user's question, and the model's function call.</summary>
    public static TranscriptNodeData CallTurn() => new(
        "resp_68b1f0c2a4d88190a1b2c3d4e5f60718",
        null,
        Fingerprint,
        Store: false,
        [
            Item(InputItemKind.Message, """{"type":"message","role":"user","content":[{"type":"input_text","text":"What is the weather in Paris today, and should I take an umbrella?"}]}""", role: "user"),
            Item(InputItemKind.FunctionCall, $$"""{"type":"function_call","id":"fc_68b1f0c3b5e08190b2c3d4e5f6071829","call_id":"{{CallId}}","name":"get_weather","arguments":"{\"city\":\"Paris\",\"unit\":\"celsius\"}","status":"completed"}""", callId: CallId, id: "fc_68b1f0c3b5e08190b2c3d4e5f6071829"),
        ]);

    /// <summary>The second turn: the tool's result (about <paramref name="resultBytes"/> bytes of JSON) and the model's answer.</summary>
    public static TranscriptNodeData ResultTurn(int resultBytes) => new(
        "resp_68b1f0c4c6f18190c3d4e5f60718293a",
        "resp_68b1f0c2a4d88190a1b2c3d4e5f60718",
        Fingerprint,
        Store: false,
        [
            Item(InputItemKind.FunctionCallOutput, $$"""{"type":"function_call_output","call_id":"{{CallId}}","output":{{JsonString(ToolResult(resultBytes))}}}""", callId: CallId),
            Item(InputItemKind.Message, """{"type":"message","id":"msg_68b1f0c5d7028190d4e5f60718293a4b","role":"assistant","status":"completed","content":[{"type":"output_text","text":"It is 14 °C in Paris with light rain expected this afternoon, so yes: take an umbrella.","annotations":[],"logprobs":[]}]}""", role: "assistant", id: "msg_68b1f0c5d7028190d4e5f60718293a4b"),
        ]);

    /// <summary>A weather tool's JSON result padded with hourly forecasts to about <paramref name="bytes"/> bytes.</summary>
    public static string ToolResult(int bytes)
    {
        var result = new StringBuilder("""{"city":"Paris","temperature_c":14,"conditions":"light rain","hourly":[""");
        for (var hour = 0; result.Length < bytes - 2; hour++)
        {
            if (hour > 0) result.Append(',');
            result.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"h":{{hour % 24}},"t":{{10 + (hour % 7)}},"p":0.{{hour % 10}}}""");
        }

        return result.Append("]}").ToString();
    }

    /// <summary>A JSON string literal escaped as the client writes requests (relaxed escaping: <c>\"</c>, not <c>\u0022</c>).</summary>
    private static string JsonString(string value) => System.Text.Json.JsonSerializer.Serialize(value, RelaxedJson);

    /// <summary>The raw JSON bytes of a turn's items: what a JSON encoding would at least have to hold.</summary>
    public static int RawJsonBytes(TranscriptNodeData node) => node.Items.Sum(item => item.Json.Length);

    private static InputItem Item(InputItemKind kind, string json, string? role = null, string? callId = null, string? id = null) =>
        new(kind, Encoding.UTF8.GetBytes(json), role, callId, id);
}
