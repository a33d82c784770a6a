using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// Writes the plain HTTP refusals the server answers before any stream exists: refused or rejected WebSocket upgrades
/// and rejected HTTP creates. Bodies are the OpenAI HTTP error shape unless a test supplies its own.
/// </summary>
internal static class Rejections
{
    public static Task WriteAsync(HttpResponse response, int status, string? customBody, TimeSpan? retryAfter, bool upgrade)
    {
        if (retryAfter is { } delay)
        {
            // Retry-After takes whole seconds (RFC 9110 §10.2.3); round up so a client never retries early.
            response.Headers.RetryAfter = ((long)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            response.Headers[HeaderNames.Allow] = "POST";
        }

        var body = customBody is { } custom ? Encoding.UTF8.GetBytes(custom) : DefaultBody(status, upgrade);
        return JsonReplies.WriteAsync(response, status, body);
    }

    /// <summary>Throws unless <paramref name="retryAfter"/> is absent or not negative.</summary>
    public static TimeSpan? CheckRetryAfter(TimeSpan? retryAfter)
    {
        if (retryAfter is { } delay)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(retryAfter));
        }

        return retryAfter;
    }

    /// <summary>Throws unless <paramref name="status"/> is a client or server error: anything else would not refuse.</summary>
    public static int CheckErrorStatus(int status, string paramName)
    {
        if (status is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(paramName, status, "The status must be a 4xx or 5xx error status.");
        }

        return status;
    }

    private static byte[] DefaultBody(int status, bool upgrade) => status switch
    {
        StatusCodes.Status401Unauthorized => ApiError.InvalidApiKey().ToHttpBody(),
        StatusCodes.Status426UpgradeRequired => Error(status, "Upgrade Required: WebSocket mode is not available here; use POST /v1/responses."),
        StatusCodes.Status404NotFound when upgrade => Error(status, "Invalid URL (GET /v1/responses): WebSocket mode is not available here."),
        StatusCodes.Status405MethodNotAllowed when upgrade => Error(status, "Method Not Allowed: WebSocket mode is not available here; use POST /v1/responses."),
        StatusCodes.Status429TooManyRequests => new ApiError(status, "requests", "rate_limit_exceeded", "Rate limit reached. Please try again later.", null).ToHttpBody(),
        _ => Error(status, upgrade ? $"WebSocket upgrade rejected with status {status}." : $"Request rejected with status {status}."),
    };

    private static byte[] Error(int status, string message) =>
        new ApiError(status, status >= 500 ? "server_error" : ApiError.InvalidRequest, null, message, null).ToHttpBody();
}
