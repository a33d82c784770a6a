using System.Net.WebSockets;
using System.Reflection;

namespace ResponsesWebSocket.Transport;

/// <summary>
/// What every WebSocket upgrade carries: a <c>User-Agent</c> naming this library, the key or token (fetched per handshake
/// when a token provider is set, so rotation reaches the next connection), organization/project, extra headers, and
/// finally the caller's hook.
/// </summary>
internal static class HandshakeHeaders
{
    /// <summary>Gets the default <c>User-Agent</c>: <c>ResponsesWebSocket/{version} (.NET {runtime})</c>.</summary>
    public static string UserAgent { get; } = CreateUserAgent();

    /// <exception cref="ResponsesException">The token provider failed or returned nothing (Kind = ConnectionFailed).</exception>
    public static async ValueTask ApplyAsync(ClientWebSocketOptions socket, ResponsesWebSocketChatClientOptions options, CancellationToken cancellationToken)
    {
        socket.SetRequestHeader("User-Agent", UserAgent);
        var credential = options.TokenProvider is { } provider ? await GetTokenAsync(provider, cancellationToken).ConfigureAwait(false) : options.ApiKey;
        if (credential is { Length: > 0 })
        {
            if (options.ApiKeyHeader == ApiKeyHeader.ApiKey) socket.SetRequestHeader("api-key", credential);
            else socket.SetRequestHeader("Authorization", "Bearer " + credential);
        }

        if (options.Organization is { Length: > 0 } org) socket.SetRequestHeader("OpenAI-Organization", org);
        if (options.Project is { Length: > 0 } project) socket.SetRequestHeader("OpenAI-Project", project);
        foreach (var (name, value) in options.AdditionalHeaders) socket.SetRequestHeader(name, value);
        options.ConfigureWebSocket?.Invoke(socket);
    }

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
