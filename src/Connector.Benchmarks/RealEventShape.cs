using System.Globalization;
using System.Text;

namespace ResponsesWebSocket.Benchmarks;

/// <summary>
/// A streamed text answer shaped like the live service's events (generated here, not copied from any recording): 50-character
/// item and response ids, <c>logprobs</c> and <c>obfuscation</c> on every delta, the full response object on the lifecycle
/// events, and a usage block on the terminal.
/// </summary>
internal static class RealEventShape
{
    public const string ResponseId = "resp_0c5e1d0f6a2b49e8a3c7d1f0b6e2a9c40068b5ebae5a7081";
    public const string ItemId = "msg_0c5e1d0f6a2b49e8a3c7d1f0b6e2a9c40068b5ebae5a70819";

    /// <summary>Gets the events as JSON strings, one per WebSocket message (or SSE <c>data:</c> line).</summary>
    public static List<string> TextAnswer(int deltas)
    {
        var response = $$$"""{"id":"{{{ResponseId}}}","object":"response","created_at":1765552659,"status":"in_progress","background":false,"error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,"max_tool_calls":null,"model":"gpt-5.2-2025-12-11","output":[],"parallel_tool_calls":true,"previous_response_id":null,"prompt_cache_key":null,"reasoning":{"effort":"none","summary":null},"safety_identifier":null,"service_tier":"auto","store":false,"temperature":1.0,"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[],"top_logprobs":0,"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}""";
        var events = new List<string>
        {
            """{"type":"response.created","sequence_number":0,"response":""" + response + "}",
            """{"type":"response.in_progress","sequence_number":1,"response":""" + response + "}",
            $$$"""{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"id":"{{{ItemId}}}","type":"message","status":"in_progress","content":[],"role":"assistant"}}""",
            $$$"""{"type":"response.content_part.added","sequence_number":3,"item_id":"{{{ItemId}}}","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}}""",
        };
        var text = new StringBuilder();
        for (var i = 0; i < deltas; i++)
        {
            var delta = " word" + (i % 10).ToString(CultureInfo.InvariantCulture);
            text.Append(delta);
            events.Add($$$"""{"type":"response.output_text.delta","sequence_number":{{{i + 4}}},"item_id":"{{{ItemId}}}","output_index":0,"content_index":0,"delta":"{{{delta}}}","logprobs":[],"obfuscation":"japg2KaCkjN{{{i % 10}}}"}""");
        }

        var sequence = deltas + 4;
        var part = $$$"""{"type":"output_text","annotations":[],"logprobs":[],"text":"{{{text}}}"}""";
        var item = $$$"""{"id":"{{{ItemId}}}","type":"message","status":"completed","content":[{{{part}}}],"role":"assistant"}""";
        events.Add($$$"""{"type":"response.output_text.done","sequence_number":{{{sequence}}},"item_id":"{{{ItemId}}}","output_index":0,"content_index":0,"text":"{{{text}}}","logprobs":[]}""");
        events.Add($$$"""{"type":"response.content_part.done","sequence_number":{{{sequence + 1}}},"item_id":"{{{ItemId}}}","output_index":0,"content_index":0,"part":""" + part + "}");
        events.Add($$$"""{"type":"response.output_item.done","sequence_number":{{{sequence + 2}}},"output_index":0,"item":""" + item + "}");
        var completed = response.Replace("\"status\":\"in_progress\"", "\"status\":\"completed\"", StringComparison.Ordinal)
            .Replace("\"output\":[]", $"\"output\":[{item}]", StringComparison.Ordinal)
            .Replace("\"usage\":null", $$$"""
                "usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":0},"output_tokens":{{{deltas}}},"output_tokens_details":{"reasoning_tokens":0},"total_tokens":{{{deltas + 20}}}}
                """.Trim(), StringComparison.Ordinal);
        events.Add($$$"""{"type":"response.completed","sequence_number":{{{sequence + 3}}},"response":""" + completed + "}");
        return events;
    }

    /// <summary>Gets the same events as one SSE body, the way the HTTP endpoint sends them.</summary>
    public static byte[] AsServerSentEvents(List<string> events)
    {
        var body = new StringBuilder();
        foreach (var e in events)
        {
            var type = e.AsSpan(9, e.IndexOf('"', 9) - 9);
            body.Append("event: ").Append(type).Append('\n').Append("data: ").Append(e).Append("\n\n");
        }

        return Encoding.UTF8.GetBytes(body.ToString());
    }
}
