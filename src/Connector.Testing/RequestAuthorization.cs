using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>The bearer-key check both transports apply before doing anything else.</summary>
internal static class RequestAuthorization
{
    public static bool IsAuthorized(HttpRequest request, string? apiKey) =>
        apiKey is null || string.Equals(request.Headers.Authorization.ToString(), "Bearer " + apiKey, StringComparison.Ordinal);
}
