using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// The sink for non-streaming HTTP: events are not sent, but running them through delivery still lets pause and
/// drop faults act before the final JSON is written.
/// </summary>
internal sealed class DiscardingEventSink(HttpContext context) : IEventSink
{
    public ValueTask SendEventAsync(ResponseEvent responseEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SendRawTextAsync(string text, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SendBinaryAsync(byte[] data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask CloseAsync(WebSocketCloseStatus status, string? description) => ValueTask.CompletedTask;

    public void Drop() => ConnectionDropper.Drop(context);
}
