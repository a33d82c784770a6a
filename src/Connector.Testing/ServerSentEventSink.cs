using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Writes each event as <c>event: {type}\ndata: {json}\n\n</c> and flushes, so clients see it immediately. A raw
/// frame without a JSON <c>type</c> gets no <c>event:</c> line; a frame holding line breaks is split over several
/// <c>data:</c> lines, which an SSE parser joins back with <c>\n</c>; binary frames have no SSE form and are skipped.
/// </summary>
internal sealed class ServerSentEventSink(HttpContext context) : IEventSink
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static void StartStream(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
    }

    public async ValueTask SendEventAsync(ResponseEvent responseEvent, CancellationToken cancellationToken)
    {
        if (responseEvent.Binary)
        {
            return;
        }

        var body = context.Response.BodyWriter;
        if (responseEvent.Type is { } type)
        {
            body.Write(EventPrefix);
            body.Write(Encoding.UTF8.GetBytes(type));
            body.Write(NewLine);
        }

        WriteDataLines(body, responseEvent.Payload);
        body.Write(NewLine);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask SendRawTextAsync(string text, CancellationToken cancellationToken) =>
        SendEventAsync(new ResponseEvent(null, Encoding.UTF8.GetBytes(text)), cancellationToken);

    // SSE has no binary frames; binary faults are WebSocket-only and never reach this sink.
    public ValueTask SendBinaryAsync(byte[] data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    // Returning from the request handler ends the chunked body cleanly: a stream that stops before its terminal event.
    public ValueTask CloseAsync(WebSocketCloseStatus status, string? description) => ValueTask.CompletedTask;

    public void Drop() => ConnectionDropper.Drop(context);

    // SSE ends a line at CR, LF or CRLF, so each line of the payload needs its own data: prefix to survive; generated
    // events hold no line break and take the single-line path.
    private static void WriteDataLines(IBufferWriter<byte> body, ReadOnlySpan<byte> payload)
    {
        while (true)
        {
            var end = payload.IndexOfAny((byte)'\r', (byte)'\n');
            body.Write(DataPrefix);
            body.Write(end < 0 ? payload : payload[..end]);
            body.Write(NewLine);
            if (end < 0)
            {
                return;
            }

            var breakLength = payload[end] == '\r' && end + 1 < payload.Length && payload[end + 1] == '\n' ? 2 : 1;
            payload = payload[(end + breakLength)..];
        }
    }
}
