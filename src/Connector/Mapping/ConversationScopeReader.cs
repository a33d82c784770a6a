using Microsoft.Extensions.AI;

namespace ResponsesWebSocket.Mapping;

/// <summary>Which conversation scope a call belongs to (see <see cref="ResponsesWebSocketChatClientOptions.ConversationScope"/>).</summary>
internal static class ConversationScopeReader
{
    /// <summary>The <c>AdditionalProperties</c> key of an explicit scope; never sent to the service.</summary>
    public const string Key = "conversation_scope";

    /// <summary>
    /// The call's <c>conversation_scope</c>, else the per-user values it already sends (<c>safety_identifier</c>, then
    /// <c>user</c>), else the client's default, else "" (one scope shared by every call).
    /// </summary>
    public static string Read(ChatOptions? options, string? clientDefault)
    {
        var properties = options?.AdditionalProperties;
        if (properties is not null)
        {
            if (AdditionalPropertyValues.GetString(properties, Key) is { Length: > 0 } scope) return scope;
            if (AdditionalPropertyValues.GetString(properties, "safety_identifier") is { Length: > 0 } safety) return safety;
            if (AdditionalPropertyValues.GetString(properties, "user") is { Length: > 0 } user) return user;
        }

        return clientDefault ?? "";
    }
}
