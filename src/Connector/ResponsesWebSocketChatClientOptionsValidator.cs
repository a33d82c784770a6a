using Microsoft.Extensions.Options;

namespace ResponsesWebSocket;

/// <summary>
/// The one set of rules for <see cref="ResponsesWebSocketChatClientOptions"/>: run by the client's constructor, and by the
/// options system (<c>ValidateOnStart</c>) so that a host with a bad configuration fails at start, not at the first call.
/// </summary>
internal sealed class ResponsesWebSocketChatClientOptionsValidator : IValidateOptions<ResponsesWebSocketChatClientOptions>
{
    /// <inheritdoc/>
    /// <remarks>
    /// Options registered through dependency injection must name a model: a host is configured for one, and a missing
    /// one would otherwise only fail at the first call. A client built by hand may leave it to <c>ChatOptions.ModelId</c>.
    /// </remarks>
    public ValidateOptionsResult Validate(string? name, ResponsesWebSocketChatClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options, requireModel: true);
        if (failures.Count == 0) return ValidateOptionsResult.Success;
        var prefix = string.IsNullOrEmpty(name) ? "ResponsesWebSocketChatClientOptions" : $"ResponsesWebSocketChatClientOptions '{name}'";
        return ValidateOptionsResult.Fail(failures.Select(f => $"{prefix}: {f}"));
    }

    /// <summary>Returns every rule the options break, each as a sentence naming the setting; empty when they are valid.</summary>
    public static List<string> Check(ResponsesWebSocketChatClientOptions options, bool requireModel)
    {
        var failures = new List<string>();
        var endpointOk = options.Endpoint is { IsAbsoluteUri: true } endpoint && endpoint.Scheme is "http" or "https" or "ws" or "wss";
        if (!endpointOk)
        {
            failures.Add($"Endpoint must be an absolute http(s) URL such as {ResponsesWebSocketChatClientOptions.DefaultEndpoint} (was '{(options.Endpoint is { IsAbsoluteUri: true } given ? Diagnostics.UriRedaction.Redact(given) : options.Endpoint?.ToString())}').");
        }

        var webSocketOk = options.WebSocketEndpoint is not { } ws || (ws.IsAbsoluteUri && ws.Scheme is "ws" or "wss");
        if (!webSocketOk) failures.Add("WebSocketEndpoint must be an absolute ws:// or wss:// URL.");

        if (endpointOk && webSocketOk)
        {
            var target = options.WebSocketEndpoint ?? Transport.WebSocketEndpoint.FromHttpBase(options.Endpoint!);
            if (string.IsNullOrWhiteSpace(options.ApiKey) && options.TokenProvider is null && !options.AllowNoApiKey && !target.IsLoopback)
            {
                failures.Add($"ApiKey is required for the non-loopback endpoint {Diagnostics.UriRedaction.Redact(target)}: set ApiKey or TokenProvider, or AllowNoApiKey for a keyless gateway.");
            }

            if (EndpointSecurity.Problem(target, options.DangerouslyAllowUnencryptedRemoteEndpoint) is { } insecure) failures.Add(insecure);
        }

        foreach (var (value, name) in new[] { (options.ApiKey, nameof(options.ApiKey)), (options.Organization, nameof(options.Organization)), (options.Project, nameof(options.Project)) })
        {
            if (Transport.HeaderValueValidator.Problem(value, name) is { } badHeader) failures.Add(badHeader);
        }

        if (requireModel && string.IsNullOrWhiteSpace(options.Model)) failures.Add("Model is required (the default model id, such as gpt-5.2).");
        if (options.ConnectTimeout <= TimeSpan.Zero) failures.Add($"ConnectTimeout must be positive (was {options.ConnectTimeout}).");
        if (options.KeepAliveInterval < TimeSpan.Zero) failures.Add($"KeepAliveInterval must be zero (off) or positive (was {options.KeepAliveInterval}).");
        if (options.KeepAliveTimeout < TimeSpan.Zero) failures.Add($"KeepAliveTimeout must be zero (off) or positive (was {options.KeepAliveTimeout}).");
        if (options.MaxConnectionAge <= TimeSpan.Zero) failures.Add($"MaxConnectionAge must be positive (was {options.MaxConnectionAge}).");
        if (options.HttpFallbackDuration <= TimeSpan.Zero) failures.Add($"HttpFallbackDuration must be positive (was {options.HttpFallbackDuration}).");
        if (!Enum.IsDefined(options.Transport)) failures.Add($"Transport must be Auto, WebSocket or Http (was {options.Transport}).");
        if (options.MaxConnections < 1) failures.Add($"MaxConnections must be at least 1 (was {options.MaxConnections}).");
        if (options.MaxTrackedResponses < 1) failures.Add($"MaxTrackedResponses must be at least 1 (was {options.MaxTrackedResponses}).");
        if (options.TranscriptIdleTimeout <= TimeSpan.Zero) failures.Add($"TranscriptIdleTimeout must be positive (was {options.TranscriptIdleTimeout}).");
        if (options.ResponseIdleTimeout <= TimeSpan.Zero && options.ResponseIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"ResponseIdleTimeout must be positive, or Timeout.InfiniteTimeSpan to disable it (was {options.ResponseIdleTimeout}).");
        }

        if (options.MaxMessageSize < 1024 || options.MaxMessageSize > Array.MaxLength)
        {
            failures.Add($"MaxMessageSize must be between 1024 and {Array.MaxLength} bytes (was {options.MaxMessageSize}).");
        }

        if (options.TimeProvider is null) failures.Add("TimeProvider must not be null.");
        return failures;
    }
}
