using System.Net.Sockets;

namespace ResponsesWebSocket.Benchmarks.Scenarios;

/// <summary>The official client's HTTP stack, counting TCP connections and request body bytes.</summary>
internal sealed class CountingHttpHandler : DelegatingHandler
{
    private long _connections;
    private long _bytes;

    public CountingHttpHandler()
    {
        InnerHandler = new SocketsHttpHandler { ConnectCallback = CountingConnect(() => Interlocked.Increment(ref _connections)) };
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that opens a plain TCP connection and reports each one.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> CountingConnect(Action connected) =>
        async (context, cancellationToken) =>
        {
            connected();
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    public long Connections => Interlocked.Read(ref _connections);

    public long BytesUploaded => Interlocked.Read(ref _bytes);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            // The SDK's request content knows its length; buffering is only a fallback so the count is never silently 0.
            if (content.Headers.ContentLength is null) await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _bytes, content.Headers.ContentLength ?? 0);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
