namespace ResponsesWebSocket.Transport;

/// <summary>Derives the HTTP URL of <c>/responses</c> (the HTTP/SSE transport) from the WebSocket one.</summary>
internal static class HttpEndpoint
{
    /// <summary><c>wss</c>→<c>https</c>, <c>ws</c>→<c>http</c>; path and query kept (they already end in <c>/responses</c>).</summary>
    public static Uri FromWebSocketUri(Uri webSocketUri)
    {
        var scheme = webSocketUri.Scheme switch
        {
            "wss" or "https" => "https",
            _ => "http",
        };

        var builder = new UriBuilder(webSocketUri) { Scheme = scheme, Port = webSocketUri.IsDefaultPort ? -1 : webSocketUri.Port };
        return builder.Uri;
    }
}
