using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// The key check both transports apply before doing anything else: <c>Authorization: Bearer</c> (OpenAI) or
/// <c>api-key</c> (Azure OpenAI).
/// </summary>
internal static class RequestAuthorization
{
    public static bool IsAuthorized(HttpRequest request, string? apiKey) =>
        apiKey is null
        || string.Equals(request.Headers.Authorization.ToString(), "Bearer " + apiKey, StringComparison.Ordinal)
        || string.Equals(request.Headers["api-key"].ToString(), apiKey, StringComparison.Ordinal);
}
