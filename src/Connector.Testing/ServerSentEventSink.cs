using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>Writes each event as <c>event: {type}\ndata: {json}\n\n</c> and flushes, so clients see it immediately.</summary>
internal sealed class ServerSentEventSink(HttpContext context) : IEventSink
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    public static void StartStream(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
    }

    public async ValueTask SendEventAsync(ResponseEvent responseEvent, CancellationToken cancellationToken)
    {
        var body = context.Response.BodyWriter;
        body.Write(EventPrefix);
        body.Write(Encoding.UTF8.GetBytes(responseEvent.Type));
        body.Write(DataPrefix);
        body.Write(responseEvent.Json);
        body.Write(EventEnd);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SendRawTextAsync(string text, CancellationToken cancellationToken)
    {
        var body = context.Response.BodyWriter;
        body.Write("data: "u8);
        body.Write(Encoding.UTF8.GetBytes(text));
        body.Write(EventEnd);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    // SSE has no binary frames; binary faults are WebSocket-only and never reach this sink.
    public ValueTask SendBinaryAsync(byte[] data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    // Returning from the request handler ends the chunked body cleanly: a stream that stops before its terminal event.
    public ValueTask CloseAsync(WebSocketCloseStatus status, string? description) => ValueTask.CompletedTask;

    public void Drop() => ConnectionDropper.Drop(context);
}
