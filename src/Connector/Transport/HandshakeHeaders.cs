using System.Net.WebSockets;
using System.Reflection;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// What every WebSocket upgrade and HTTP request carries: a <c>User-Agent</c> naming this library, the key or token (fetched per handshake
/// when a token provider is set, so rotation reaches the next connection), organization/project, extra headers, and
/// finally the caller's hook.
/// </summary>
internal static class HandshakeHeaders
{
    /// <summary>Gets the default <c>User-Agent</c>: <c>ResponsesWebSocket/{version} (.NET {runtime})</c>.</summary>
    public static string UserAgent { get; } = CreateUserAgent();

    /// <summary>Sets the headers on a WebSocket handshake, then runs the caller's hook.</summary>
    /// <exception cref="ResponsesException">The token provider failed or returned nothing (Kind = ConnectionFailed).</exception>
    public static async ValueTask ApplyAsync(ClientWebSocketOptions socket, TransportSettings settings, CancellationToken cancellationToken)
    {
        await ApplyAsync(settings, socket.SetRequestHeader, cancellationToken).ConfigureAwait(false);
        settings.ConfigureWebSocket?.Invoke(socket);
    }

    /// <summary>Sets the same headers on an HTTP request (the HTTP/SSE transport); a header set twice keeps the last value.</summary>
    /// <exception cref="ResponsesException">The token provider failed or returned nothing (Kind = ConnectionFailed).</exception>
    public static ValueTask ApplyAsync(HttpRequestMessage request, TransportSettings settings, CancellationToken cancellationToken) =>
        ApplyAsync(settings, (name, value) =>
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }, cancellationToken);

    /// <summary>The one list of headers both transports send, in order; later ones replace earlier ones of the same name.</summary>
    private static async ValueTask ApplyAsync(TransportSettings settings, Action<string, string> set, CancellationToken cancellationToken)
    {
        set("User-Agent", UserAgent);
        var credential = await GetCredentialAsync(settings, cancellationToken).ConfigureAwait(false);
        if (credential is { Length: > 0 })
        {
            if (settings.UseApiKeyHeader) set("api-key", credential);
            else set("Authorization", "Bearer " + credential);
        }

        if (settings.Organization is { Length: > 0 } org) set("OpenAI-Organization", org);
        if (settings.Project is { Length: > 0 } project) set("OpenAI-Project", project);
        foreach (var (name, value) in settings.AdditionalHeaders) set(name, value);
    }

    private static ValueTask<string> GetCredentialAsync(TransportSettings settings, CancellationToken cancellationToken) =>
        settings.TokenProvider is { } provider ? GetTokenAsync(provider, cancellationToken) : new(settings.ApiKey ?? "");

    private static async ValueTask<string> GetTokenAsync(Func<CancellationToken, ValueTask<string>> provider, CancellationToken cancellationToken)
    {
        string? token;
        try
        {
            token = await provider(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ResponsesException(ResponsesErrorKind.ConnectionFailed, $"The token provider failed: {ex.Message}", innerException: ex);
        }

        return string.IsNullOrEmpty(token)
            ? throw new ResponsesException(ResponsesErrorKind.ConnectionFailed, "The token provider returned no token.")
            : token;
    }

    private static string CreateUserAgent()
    {
        var assembly = typeof(HandshakeHeaders).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0.0.0";

        // Drop SourceLink's "+commit" suffix: the version is enough to tell releases apart in a gateway's logs.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus > 0) version = version[..plus];
        return $"ResponsesWebSocket/{version} (.NET {Environment.Version})";
    }
}
