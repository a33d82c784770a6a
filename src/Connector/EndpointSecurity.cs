using ResponsesWebSocket.Diagnostics;

namespace ResponsesWebSocket;

/// <summary>Decides, at construction, whether the client may talk to an endpoint without encryption.</summary>
/// <remarks>
/// The upgrade request carries <c>Authorization: Bearer</c> and every frame carries prompts and outputs, so a
/// <c>ws://</c> endpoint off this machine would put both on the network in clear text. Loopback stays allowed (the
/// bundled local server, sidecars); anything else needs <c>wss://</c> or the loudly named opt-in. Redirects are never
/// followed (see <see cref="Transport.ResponseChannelFactory"/>), so a checked endpoint cannot send the key elsewhere.
/// </remarks>
internal static class EndpointSecurity
{
    /// <summary>Throws when <paramref name="target"/> is unencrypted, not loopback, and the caller did not opt in.</summary>
    /// <exception cref="ArgumentException">The endpoint would carry the key in clear text over the network.</exception>
    public static void EnsureEncryptedOrLoopback(Uri target, bool allowUnencryptedRemote)
    {
        if (Problem(target, allowUnencryptedRemote) is { } problem) throw new ArgumentException(problem);
    }

    /// <summary>Describes why <paramref name="target"/> may not be used, or returns <see langword="null"/> when it may.</summary>
    public static string? Problem(Uri target, bool allowUnencryptedRemote)
    {
        if (allowUnencryptedRemote || target.IsLoopback || string.Equals(target.Scheme, "wss", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return
            $"The endpoint {UriRedaction.Redact(target)} is unencrypted and not on this machine: the API key and every prompt would "
            + $"cross the network in clear text. Use https:// (wss://), or set {nameof(ResponsesWebSocketChatClientOptions.DangerouslyAllowUnencryptedRemoteEndpoint)} "
            + "if the network path is trusted.";
    }
}
