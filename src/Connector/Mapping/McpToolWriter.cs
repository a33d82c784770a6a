using System.Text.Json;
using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Mapping;

/// <summary>Writes the body of an <c>mcp</c> tool entry for a <see cref="HostedMcpServerTool"/>.</summary>
internal static class McpToolWriter
{
    private const string BearerPrefix = "Bearer ";

    /// <summary>Writes the <c>mcp</c> properties into an open tool object.</summary>
    /// <remarks>
    /// An absolute http(s) address is a remote server (<c>server_url</c>, with <c>headers</c>); anything else is the name of a
    /// service-provided connector (<c>connector_id</c>), which takes an OAuth token as <c>authorization</c> instead of headers,
    /// so an <c>Authorization</c> header is moved there without its <c>Bearer</c> prefix.
    /// </remarks>
    public static void Write(Utf8JsonWriter writer, HostedMcpServerTool mcp)
    {
        writer.WriteString("type"u8, "mcp"u8);
        writer.WriteString("server_label"u8, mcp.ServerName);

        bool isUrl = Uri.TryCreate(mcp.ServerAddress, UriKind.Absolute, out Uri? url)
            && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);
        if (isUrl)
        {
            writer.WriteString("server_url"u8, mcp.ServerAddress);
        }
        else
        {
            writer.WriteString("connector_id"u8, mcp.ServerAddress);
        }

        if (!string.IsNullOrEmpty(mcp.ServerDescription))
        {
            writer.WriteString("server_description"u8, mcp.ServerDescription);
        }

        if (mcp.Headers is { Count: > 0 } headers)
        {
            if (isUrl)
            {
                writer.WritePropertyName("headers"u8);
                writer.WriteStartObject();
                foreach (KeyValuePair<string, string> header in headers)
                {
                    writer.WriteString(header.Key, header.Value);
                }

                writer.WriteEndObject();
            }
            else if (headers.FirstOrDefault(static h => string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase)).Value is { } authorization)
            {
                writer.WriteString(
                    "authorization"u8,
                    authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? authorization[BearerPrefix.Length..] : authorization);
            }
        }

        if (mcp.AllowedTools is { } allowed)
        {
            // The filter-object form, as the official client sends it (the service also takes a bare array).
            writer.WritePropertyName("allowed_tools"u8);
            writer.WriteStartObject();
            writer.WritePropertyName("tool_names"u8);
            WriteNames(writer, allowed);
            writer.WriteEndObject();
        }

        switch (mcp.ApprovalMode)
        {
            case HostedMcpServerToolAlwaysRequireApprovalMode:
                writer.WriteString("require_approval"u8, "always"u8);
                break;

            case HostedMcpServerToolNeverRequireApprovalMode:
                writer.WriteString("require_approval"u8, "never"u8);
                break;

            case HostedMcpServerToolRequireSpecificApprovalMode specific:
                writer.WritePropertyName("require_approval"u8);
                writer.WriteStartObject();
                WriteFilter(writer, "always"u8, specific.AlwaysRequireApprovalToolNames);
                WriteFilter(writer, "never"u8, specific.NeverRequireApprovalToolNames);
                writer.WriteEndObject();
                break;
        }
    }

    private static void WriteFilter(Utf8JsonWriter writer, ReadOnlySpan<byte> name, IList<string>? toolNames)
    {
        if (toolNames is { Count: > 0 })
        {
            writer.WritePropertyName(name);
            writer.WriteStartObject();
            writer.WritePropertyName("tool_names"u8);
            WriteNames(writer, toolNames);
            writer.WriteEndObject();
        }
    }

    private static void WriteNames(Utf8JsonWriter writer, IEnumerable<string> names)
    {
        writer.WriteStartArray();
        foreach (string name in names)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }
}
