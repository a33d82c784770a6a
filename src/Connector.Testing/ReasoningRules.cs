using System.Security.Cryptography;
using System.Text;

namespace ResponsesWebSocket.Testing;

/// <summary>
/// The live service's reasoning rules (protocol.md §3.2 <c>include</c>, §6.5 <c>reasoning</c>): which models reason,
/// who may ask for encrypted reasoning, and which input reasoning items resolve. Also seals and verifies the opaque
/// <c>encrypted_content</c> this server issues, with a key that lives and dies with the server instance.
/// </summary>
internal sealed class ReasoningRules(Func<string, bool> isReasoningModel)
{
    private const byte SealVersion = 1;
    private const int MacLength = 16;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public bool IsReasoningModel(string model) => isReasoningModel(model);

    /// <summary>The <c>encrypted_content</c> for a reasoning item: the item id, authenticated so only this server can have made it.</summary>
    public string Seal(string itemId)
    {
        var id = Encoding.UTF8.GetBytes(itemId);
        return Convert.ToBase64String([SealVersion, .. id, .. Mac(id)]);
    }

    /// <summary>The reasoning item id an <c>encrypted_content</c> was issued for, or <see langword="null"/> when this server did not issue it.</summary>
    public string? Open(string encryptedContent)
    {
        var sealedBytes = new byte[encryptedContent.Length];
        if (!Convert.TryFromBase64String(encryptedContent, sealedBytes, out var length) || length <= 1 + MacLength || sealedBytes[0] != SealVersion)
        {
            return null;
        }

        var id = sealedBytes.AsSpan(1, length - 1 - MacLength);
        var mac = sealedBytes.AsSpan(length - MacLength, MacLength);
        return CryptographicOperations.FixedTimeEquals(mac, Mac(id)) ? Encoding.UTF8.GetString(id) : null;
    }

    /// <summary>The error the live service answers for this request's reasoning, or <see langword="null"/> when it passes.</summary>
    public ApiError? Validate(CreateRequest request, ResponseStore store)
    {
        if (request.IncludeEncryptedReasoning && !IsReasoningModel(request.Model))
        {
            return ApiError.EncryptedContentNotSupported();
        }

        foreach (var item in request.Input)
        {
            if (InputItems.TypeOf(item) != "reasoning")
            {
                continue;
            }

            var id = InputItems.StringProperty(item, "id");
            if (InputItems.StringProperty(item, "encrypted_content") is { Length: > 0 } encrypted)
            {
                // Self-contained: the content says which item it is, so it resolves at store=false and even without an id.
                var issuedFor = Open(encrypted);
                if (issuedFor is null)
                {
                    return ApiError.EncryptedContentNotVerified(id ?? "(no id)");
                }

                if (id is not null && id != issuedFor)
                {
                    return ApiError.EncryptedContentItemMismatch();
                }
            }
            else if (id is not null && !request.Store)
            {
                return ApiError.ItemNotPersisted(id);
            }
            else if (id is not null && !store.HasItem(id))
            {
                return ApiError.ItemNotFound(id);
            }
        }

        return null;
    }

    private byte[] Mac(ReadOnlySpan<byte> id) => HMACSHA256.HashData(_key, id)[..MacLength];
}
