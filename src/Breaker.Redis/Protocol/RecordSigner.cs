using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Breaker.Protocol;

/// <summary>
/// Optional message authentication: an HMAC-SHA256 tag over each record and message, bound to where it is stored (the key,
/// or the channel), so a valid record cannot be copied to another instance's key or another breaker. Without a key nothing
/// is signed and every tag is accepted; with one, a record must carry a tag made with the signing key or an accepted one.
/// </summary>
internal sealed class RecordSigner
{
    private const int TagBytes = 32;
    private readonly byte[]? _signingKey;
    private readonly byte[][] _acceptedKeys;

    public RecordSigner(string? signingKey, IEnumerable<string> acceptedKeys)
    {
        _signingKey = signingKey is null ? null : Encoding.UTF8.GetBytes(signingKey);
        _acceptedKeys = (_signingKey is null ? [] : new[] { _signingKey })
            .Concat(acceptedKeys.Select(static k => Encoding.UTF8.GetBytes(k)))
            .ToArray();
    }

    /// <summary>The tag of <paramref name="payload"/> stored at <paramref name="location"/>; empty when signing is off.</summary>
    public string Sign(string location, string payload) =>
        _signingKey is null ? string.Empty : Convert.ToHexStringLower(HMACSHA256.HashData(_signingKey, Input(location, payload)));

    /// <summary>Whether <paramref name="tag"/> was made for this payload at this location with an accepted key; always true when signing is off.</summary>
    public bool Verify(string location, string payload, ReadOnlySpan<char> tag)
    {
        if (_signingKey is null)
        {
            return true;
        }

        Span<byte> given = stackalloc byte[TagBytes];
        if (tag.Length != 2 * TagBytes
            || Convert.FromHexString(tag, given, out _, out int written) != OperationStatus.Done
            || written != TagBytes)
        {
            return false;
        }

        byte[] input = Input(location, payload);
        Span<byte> expected = stackalloc byte[TagBytes];
        bool valid = false;
        foreach (byte[] key in _acceptedKeys)
        {
            HMACSHA256.HashData(key, input, expected);

            // Constant time, and every key tried: how long verification takes tells nothing about the tag.
            valid |= CryptographicOperations.FixedTimeEquals(expected, given);
        }

        return valid;
    }

    private static byte[] Input(string location, string payload) => Encoding.UTF8.GetBytes(location + "\n" + payload);
}
