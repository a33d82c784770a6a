using System.Text.Json;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Transport;

/// <summary>Reads the service's error out of a non-2xx HTTP body: a refused upgrade, or a refused HTTP request.</summary>
internal static class HttpErrorBody
{
    /// <summary>The most of an error body that is read: the service's bodies are a few hundred bytes.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>Parses <c>{"error":{…}}</c>; <see langword="null"/> for anything else.</summary>
    public static ErrorWire? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonSerializer.Deserialize(body, ResponsesJsonContext.Default.ErrorEnvelopeWire)?.Error;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not every proxy answers in (valid) JSON; the status alone still tells the story.
            return null;
        }
    }

    /// <summary>Reads at most <see cref="MaxBytes"/> of a body as text.</summary>
    public static async Task<string> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
        }
    }
}
