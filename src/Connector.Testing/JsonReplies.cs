using Microsoft.AspNetCore.Http;

namespace ResponsesWebSocket.Testing;

/// <summary>Writes plain (non-streaming) JSON HTTP responses.</summary>
internal static class JsonReplies
{
    public static Task WriteErrorAsync(HttpResponse response, ApiError error) => WriteAsync(response, error.Status, error.ToHttpBody());

    public static async Task WriteAsync(HttpResponse response, int status, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
