using System.Net.WebSockets;
using System.Text;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// One lane's view of the connection's <see cref="WebSocketEventSink"/>: lanes answer concurrently, so every send takes
/// the connection's send gate (a WebSocket allows one send at a time), and on a named lane every event echoes the
/// request's <c>stream_id</c> as the lanes revision requires. The default lane's events stay byte for byte unchanged.
/// </summary>
internal sealed class LaneEventSink(IEventSink inner, SemaphoreSlim sendGate, string? streamId) : IEventSink
{
    // Appended before the event's closing brace; a valid stream id needs no JSON escaping.
    private readonly byte[]? _echoSuffix = streamId is null ? null : Encoding.UTF8.GetBytes(",\"stream_id\":\"" + streamId + "\"}");

    public async ValueTask SendEventAsync(ResponseEvent responseEvent, CancellationToken cancellationToken)
    {
        // Raw frames (no type, or binary) go out verbatim, as scripted, on every lane.
        var outgoing = _echoSuffix is null || responseEvent.Type is null || responseEvent.Binary
            ? responseEvent
            : new ResponseEvent(responseEvent.Type, WithStreamId(responseEvent.Payload, _echoSuffix));
        await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another lane may have ended the connection while this one waited for the gate.
            cancellationToken.ThrowIfCancellationRequested();
            await inner.SendEventAsync(outgoing, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendGate.Release();
        }
    }

    public async ValueTask SendRawTextAsync(string text, CancellationToken cancellationToken)
    {
        await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.SendRawTextAsync(text, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendGate.Release();
        }
    }

    public async ValueTask SendBinaryAsync(byte[] data, CancellationToken cancellationToken)
    {
        await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.SendBinaryAsync(data, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendGate.Release();
        }
    }

    public async ValueTask CloseAsync(WebSocketCloseStatus status, string? description)
    {
        await sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await inner.CloseAsync(status, description).ConfigureAwait(false);
        }
        finally
        {
            sendGate.Release();
        }
    }

    // An abort needs no gate: it ends every send in progress anyway.
    public void Drop() => inner.Drop();

    private static byte[] WithStreamId(byte[] json, byte[] suffix)
    {
        var closing = Array.LastIndexOf(json, (byte)'}');
        var result = new byte[closing + suffix.Length];
        json.AsSpan(0, closing).CopyTo(result);
        suffix.CopyTo(result.AsSpan(closing));
        return result;
    }
}
