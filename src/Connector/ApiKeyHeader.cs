namespace ResponsesWebSocket;

/// <summary>Which upgrade header carries the key. See <see cref="ResponsesWebSocketChatClientOptions.ApiKeyHeader"/>.</summary>
public enum ApiKeyHeader
{
    /// <summary><c>Authorization: Bearer &lt;key&gt;</c>: OpenAI keys, and Microsoft Entra ID tokens for Azure OpenAI.</summary>
    Authorization = 0,

    /// <summary><c>api-key: &lt;key&gt;</c>: Azure OpenAI resource keys.</summary>
    ApiKey = 1,
}
