using Microsoft.Extensions.AI;
using ResponsesWebSocket.Protocol;

namespace ResponsesWebSocket.Mapping;

/// <summary>Maps <c>response.usage</c> onto <see cref="UsageDetails"/>.</summary>
internal static class UsageMapper
{
    /// <summary>The <see cref="UsageDetails.AdditionalCounts"/> key for <c>input_tokens_details.cache_write_tokens</c>.</summary>
    public const string CacheWriteTokensKey = "InputTokenDetails.CacheWriteTokenCount";

    public static UsageDetails Map(UsageWire usage)
    {
        var details = new UsageDetails
        {
            InputTokenCount = usage.InputTokens,
            OutputTokenCount = usage.OutputTokens,
            TotalTokenCount = usage.TotalTokens ?? (usage.InputTokens + usage.OutputTokens),
            CachedInputTokenCount = usage.InputTokensDetails?.CachedTokens,
            ReasoningTokenCount = usage.OutputTokensDetails?.ReasoningTokens,
        };

        if (usage.InputTokensDetails?.CacheWriteTokens is { } cacheWrite)
        {
            (details.AdditionalCounts ??= [])[CacheWriteTokensKey] = cacheWrite;
        }

        return details;
    }
}
