using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Mapping;

/// <summary>
/// Writes user-side content parts (<c>input_text</c>, <c>input_image</c>, <c>input_file</c>), shared by message content and
/// by array-valued <c>function_call_output</c> outputs, which accept the same part shapes.
/// </summary>
internal static class InputContentPartWriter
{
    /// <summary>
    /// Writes <paramref name="content"/> as one input part if it is text, an image or a document.
    /// Returns <see langword="false"/> for any other content, which the caller handles.
    /// </summary>
    /// <exception cref="NotSupportedException">The content is audio, which the Responses API does not accept as input.</exception>
    public static bool TryWrite(Utf8JsonWriter writer, AIContent content)
    {
        switch (content)
        {
            case TextContent text:
                WriteInputText(writer, text.Text);
                return true;

            case DataContent data:
                ThrowIfAudio(data.MediaType);
                if (data.HasTopLevelMediaType("image"))
                {
                    WriteImage(writer, "image_url"u8, data.Uri, content);
                }
                else
                {
                    // file_data must be the whole data URI, not bare base64, and filename is required with it (the service
                    // rejects file_data without one). text/plain and other documents go here too: the API reads them as
                    // files, which keeps their content rather than dropping it as the official client does.
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "input_file"u8);
                    writer.WriteString("file_data"u8, data.Uri);
                    writer.WriteString("filename"u8, data.Name ?? DefaultFileName(data.MediaType));
                    writer.WriteEndObject();
                }

                return true;

            case UriContent uri:
                ThrowIfAudio(uri.MediaType);
                if (uri.HasTopLevelMediaType("image"))
                {
                    WriteImage(writer, "image_url"u8, uri.Uri.AbsoluteUri, content);
                }
                else
                {
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "input_file"u8);
                    writer.WriteString("file_url"u8, uri.Uri.AbsoluteUri);
                    writer.WriteEndObject();
                }

                return true;

            case HostedFileContent file:
                if (file.HasTopLevelMediaType("image"))
                {
                    WriteImage(writer, "file_id"u8, file.FileId, content);
                }
                else
                {
                    writer.WriteStartObject();
                    writer.WriteString("type"u8, "input_file"u8);
                    writer.WriteString("file_id"u8, file.FileId);
                    writer.WriteEndObject();
                }

                return true;

            default:
                return false;
        }
    }

    /// <summary>Writes <c>{"type":"input_text","text":…}</c>.</summary>
    public static void WriteInputText(Utf8JsonWriter writer, string? text)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "input_text"u8);
        writer.WriteString("text"u8, text ?? string.Empty);
        writer.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter writer, ReadOnlySpan<byte> sourceName, string source, AIContent content)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, "input_image"u8);
        writer.WriteString(sourceName, source);
        if (GetDetail(content) is { } detail)
        {
            writer.WriteString("detail"u8, detail);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The image detail level (<c>low</c>, <c>high</c>, <c>auto</c>) from <c>AdditionalProperties["detail"]</c>, as the official
    /// client reads it. Non-string values (such as the OpenAI SDK's detail struct) are written through their string form.
    /// </summary>
    private static string? GetDetail(AIContent content)
    {
        if (content.AdditionalProperties is not { } properties || !properties.TryGetValue("detail", out object? value) || value is null)
        {
            return null;
        }

        return AdditionalPropertyValues.GetString(properties, "detail") ?? Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    private static void ThrowIfAudio(string? mediaType)
    {
        if (mediaType is not null && mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
        {
            // Dropping it silently (as the official client does) would make the model answer without the content the
            // caller believes it sent; fail loudly instead.
            throw new NotSupportedException(
                $"Audio content ('{mediaType}') is not supported by the Responses API. Transcribe it first (for example with an ISpeechToTextClient) and send the text.");
        }
    }

    /// <summary>
    /// A filename for <c>file_data</c> when <see cref="DataContent.Name"/> is unset. The service infers the file type from the
    /// extension, so it is derived from the media type; the name itself is not meaningful (the official client uses a GUID,
    /// which would make identical requests differ byte for byte).
    /// </summary>
    internal static string DefaultFileName(string? mediaType)
    {
        string type = mediaType ?? string.Empty;
        int semicolon = type.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            type = type[..semicolon];
        }

        string extension = type.Trim().ToUpperInvariant() switch
        {
            "APPLICATION/PDF" => ".pdf",
            "TEXT/PLAIN" => ".txt",
            "TEXT/MARKDOWN" => ".md",
            "TEXT/CSV" => ".csv",
            "TEXT/HTML" => ".html",
            "TEXT/XML" or "APPLICATION/XML" => ".xml",
            "APPLICATION/JSON" => ".json",
            "APPLICATION/RTF" or "TEXT/RTF" => ".rtf",
            "APPLICATION/MSWORD" => ".doc",
            "APPLICATION/VND.OPENXMLFORMATS-OFFICEDOCUMENT.WORDPROCESSINGML.DOCUMENT" => ".docx",
            "APPLICATION/VND.OPENXMLFORMATS-OFFICEDOCUMENT.PRESENTATIONML.PRESENTATION" => ".pptx",
            "APPLICATION/VND.OPENXMLFORMATS-OFFICEDOCUMENT.SPREADSHEETML.SHEET" => ".xlsx",
            "TEXT/X-PYTHON" => ".py",
            "TEXT/JAVASCRIPT" or "APPLICATION/JAVASCRIPT" => ".js",
            _ => string.Empty,
        };

        return "file" + extension;
    }
}
