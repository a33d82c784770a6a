using ResponsesWebSocket.Diagnostics;

namespace ResponsesWebSocket.Transport;

/// <summary>Derives the WebSocket URL of <c>/responses</c> from the HTTP base URL, the way the official SDKs do.</summary>
internal static class WebSocketEndpoint
{
    /// <summary>
    /// <c>https</c>→<c>wss</c>, <c>http</c>→<c>ws</c>, trailing slash trimmed, <c>/responses</c> appended unless the path
    /// already ends in it; a query string is kept.
    /// An Azure OpenAI resource URL with no path (<c>https://{resource}.openai.azure.com/</c>) gets its <c>/openai/v1</c> base.
    /// </summary>
    /// <exception cref="ArgumentException">The URL is relative or has another scheme.</exception>
    public static Uri FromHttpBase(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri)
        {
            throw new ArgumentException($"The endpoint '{UriRedaction.Redact(endpoint)}' must be an absolute http(s) URL.", nameof(endpoint));
        }

        var scheme = endpoint.Scheme switch
        {
            "https" or "wss" => "wss",
            "http" or "ws" => "ws",
            _ => throw new ArgumentException($"The endpoint '{UriRedaction.Redact(endpoint)}' must use http, https, ws or wss.", nameof(endpoint)),
        };

        var builder = new UriBuilder(endpoint) { Scheme = scheme, Port = endpoint.IsDefaultPort ? -1 : endpoint.Port };
        if (IsAzureOpenAIResource(endpoint) && builder.Path.TrimEnd('/').Length == 0)
        {
            // An Azure OpenAI resource URL without a path: its v1 API lives under /openai/v1.
            builder.Path = "/openai/v1";
        }

        var path = builder.Path.TrimEnd('/');

        // Both forms are accepted: the base URL (as the SDKs take it) and the full /responses URL (as docs print it).
        builder.Path = path.EndsWith("/responses", StringComparison.OrdinalIgnoreCase) ? path : path + "/responses";
        return builder.Uri;
    }

    /// <summary>Whether the host is an Azure OpenAI (or Azure AI Foundry) resource endpoint.</summary>
    public static bool IsAzureOpenAIResource(Uri endpoint) =>
        endpoint.Host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase)
        || endpoint.Host.EndsWith(".cognitiveservices.azure.com", StringComparison.OrdinalIgnoreCase)
        || endpoint.Host.EndsWith(".services.ai.azure.com", StringComparison.OrdinalIgnoreCase);
}
