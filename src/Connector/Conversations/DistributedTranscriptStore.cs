using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using ResponsesWebSocket.Conversations;

namespace ResponsesWebSocket;

/// <summary>
/// An <see cref="ITranscriptStore"/> over any <see cref="IDistributedCache"/> (Redis through
/// <c>Microsoft.Extensions.Caching.StackExchangeRedis</c>, SQL Server, …), so that every instance of an application
/// sharing the cache can continue a conversation any of them started.
/// </summary>
/// <remarks>
/// <para><b>Keys</b> never contain a raw scope, id or content key: a turn lives under
/// <c>{KeyPrefix}r:{base64url(SHA-256(len(scope) ‖ scope ‖ 0x00 ‖ responseId))}</c> and the content index under
/// <c>{KeyPrefix}c:{base64url(SHA-256(len(scope) ‖ scope ‖ 0x00 ‖ contentKey))}</c> (UTF-8; <c>len</c> is the scope's
/// byte length, 4 bytes big-endian, so no choice of scope and id meets another's key, and nothing a caller passes can
/// shape a key).</para>
/// <para><b>Values</b> are a versioned envelope holding the scope, the ids and the content key besides the payload,
/// protected as a whole when <see cref="DistributedTranscriptStoreOptions.Protect"/> is set. A read unprotects and parses
/// the envelope and confirms that it was written for the scope and id asked for: anything corrupt, foreign (another
/// writer, another key prefix's value copied here), unprotectable or written for another scope reads as absent, never as
/// an exception.</para>
/// <para><b>Expiry</b> is sliding: each entry lives for the idle timeout passed to <see cref="SetAsync"/> after it was
/// last written or read.</para>
/// <para><b>Privacy</b>: without a protector the cache holds prompts and outputs in plaintext.</para>
/// <para><b>Failures</b> of the cache itself (an unreachable Redis, a timeout) are not handled here: they propagate as the
/// cache throws them.</para>
/// </remarks>
public sealed class DistributedTranscriptStore : ITranscriptStore
{
    private const int StackHashInputLimit = 512;

    private readonly IDistributedCache _cache;
    private readonly string _turnPrefix;
    private readonly string _indexPrefix;
    private readonly Func<byte[], byte[]>? _protect;
    private readonly Func<byte[], byte[]>? _unprotect;

    /// <summary>Creates a store over <paramref name="cache"/>.</summary>
    /// <param name="cache">The distributed cache to keep turns in.</param>
    /// <param name="options">Key prefix and protection; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Only one of <see cref="DistributedTranscriptStoreOptions.Protect"/> and
    /// <see cref="DistributedTranscriptStoreOptions.Unprotect"/> is set, or the key prefix is <see langword="null"/>.</exception>
    public DistributedTranscriptStore(IDistributedCache cache, DistributedTranscriptStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        options ??= new DistributedTranscriptStoreOptions();
        if (options.KeyPrefix is null)
        {
            throw new ArgumentException("KeyPrefix must not be null.", nameof(options));
        }

        if ((options.Protect is null) != (options.Unprotect is null))
        {
            throw new ArgumentException("Set both Protect and Unprotect, or neither: values written with one cannot be read without the other.", nameof(options));
        }

        _cache = cache;
        _turnPrefix = options.KeyPrefix + "r:";
        _indexPrefix = options.KeyPrefix + "c:";
        _protect = options.Protect;
        _unprotect = options.Unprotect;
    }

    /// <inheritdoc/>
    public async ValueTask<TranscriptEntry?> GetAsync(string scope, string responseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrEmpty(responseId);
        var stored = await _cache.GetAsync(Key(_turnPrefix, scope, responseId), cancellationToken).ConfigureAwait(false);
        return stored is not null
            && TryUnprotect(stored, out var envelope)
            && TranscriptEnvelope.TryDecodeTurn(envelope, out var entry)
            && string.Equals(entry.Scope, scope, StringComparison.Ordinal)
            && string.Equals(entry.ResponseId, responseId, StringComparison.Ordinal)
                ? entry
                : null;
    }

    /// <inheritdoc/>
    public async ValueTask<string?> FindByContentKeyAsync(string scope, string contentKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentException.ThrowIfNullOrEmpty(contentKey);
        var stored = await _cache.GetAsync(Key(_indexPrefix, scope, contentKey), cancellationToken).ConfigureAwait(false);
        return stored is not null
            && TryUnprotect(stored, out var envelope)
            && TranscriptEnvelope.TryDecodeIndex(envelope, out var storedScope, out var storedKey, out var responseId)
            && string.Equals(storedScope, scope, StringComparison.Ordinal)
            && string.Equals(storedKey, contentKey, StringComparison.Ordinal)
                ? responseId
                : null;
    }

    /// <inheritdoc/>
    /// <remarks>The turn is written before its content-index record, so the index never points at a turn not yet written.</remarks>
    public async ValueTask SetAsync(TranscriptEntry entry, TimeSpan idleTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Scope is null) throw new ArgumentException("The entry's Scope must not be null (use an empty string for no scope).", nameof(entry));
        if (string.IsNullOrEmpty(entry.ResponseId)) throw new ArgumentException("The entry's ResponseId must be set.", nameof(entry));
        if (entry.ContentKey is { Length: 0 }) throw new ArgumentException("The entry's ContentKey must be null or non-empty.", nameof(entry));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(idleTimeout, TimeSpan.Zero);

        var options = new DistributedCacheEntryOptions { SlidingExpiration = idleTimeout };
        await _cache.SetAsync(Key(_turnPrefix, entry.Scope, entry.ResponseId), Protect(TranscriptEnvelope.EncodeTurn(entry)), options, cancellationToken)
            .ConfigureAwait(false);
        if (entry.ContentKey is { } contentKey)
        {
            var index = TranscriptEnvelope.EncodeIndex(entry.Scope, contentKey, entry.ResponseId);
            await _cache.SetAsync(Key(_indexPrefix, entry.Scope, contentKey), Protect(index), options, cancellationToken).ConfigureAwait(false);
        }
    }

    private byte[] Protect(byte[] envelope) => _protect is null ? envelope : _protect(envelope);

    private bool TryUnprotect(byte[] stored, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? envelope)
    {
        if (_unprotect is null)
        {
            envelope = stored;
            return true;
        }

        try
        {
            envelope = _unprotect(stored);
            return envelope is not null;
        }
        catch (CryptographicException)
        {
            // Written with another key, tampered with, or not protected at all: absent, as the contract says.
            envelope = null;
            return false;
        }
    }

    /// <summary><c>{prefix}{base64url(SHA-256(len(scope) ‖ scope ‖ 0x00 ‖ name))}</c>, all strings as UTF-8.</summary>
    private static string Key(string prefix, string scope, string name)
    {
        var scopeLength = Encoding.UTF8.GetByteCount(scope);
        var length = 4 + scopeLength + 1 + Encoding.UTF8.GetByteCount(name);
        byte[]? rented = null;
        var input = length <= StackHashInputLimit ? stackalloc byte[StackHashInputLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            BinaryPrimitives.WriteInt32BigEndian(input, scopeLength);
            Encoding.UTF8.GetBytes(scope, input[4..]);
            input[4 + scopeLength] = 0;
            Encoding.UTF8.GetBytes(name, input[(5 + scopeLength)..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(input[..length], hash);
            return string.Concat(prefix, Base64Url.EncodeToString(hash));
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
