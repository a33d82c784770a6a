using System.Text;

namespace ResponsesWebSocket.Diagnostics;

/// <summary>Removes secrets from URLs before they reach logs, exception messages or metadata.</summary>
/// <remarks>
/// Gateways put keys in query strings (<c>?api-key=…</c>, <c>?sig=…</c>) and some callers in the user-info part; neither
/// may leave the client through a log line or a message. Query names are kept (they help diagnose), values are masked,
/// except <c>api-version</c>, which is never a secret and is often what a failing Azure URL is about.
/// </remarks>
internal static class UriRedaction
{
    /// <summary>What replaces a masked value.</summary>
    public const string Mask = "redacted";

    /// <summary>Returns <paramref name="uri"/> without user info or fragment and with its query values masked.</summary>
    public static Uri RedactUri(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri || (uri.UserInfo.Length == 0 && uri.Query.Length == 0 && uri.Fragment.Length == 0))
        {
            return uri;
        }

        var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Fragment = string.Empty, Query = MaskQuery(uri.Query) };
        if (uri.IsDefaultPort) builder.Port = -1;
        return builder.Uri;
    }

    /// <summary>Returns the redacted form of <paramref name="uri"/> as text, for messages and logs.</summary>
    public static string Redact(Uri uri) => RedactUri(uri).ToString();

    private static string MaskQuery(string query)
    {
        if (query.Length <= 1) return string.Empty;
        var masked = new StringBuilder(query.Length);
        foreach (var pair in query.AsSpan(1).ToString().Split('&'))
        {
            if (masked.Length > 0) masked.Append('&');
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                // A bare token (?sk-…) is all value.
                masked.Append(pair.Length == 0 ? string.Empty : Mask);
                continue;
            }

            var name = pair[..equals];
            masked.Append(name).Append('=').Append(string.Equals(name, "api-version", StringComparison.OrdinalIgnoreCase) ? pair[(equals + 1)..] : Mask);
        }

        return masked.ToString();
    }
}
