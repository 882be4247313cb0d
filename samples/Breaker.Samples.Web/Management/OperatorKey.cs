using System;
using System.Security.Cryptography;
using System.Text;

namespace Breaker.Samples.Web.Management;

/// <summary>The operator key: what tools send in <c>X-Api-Key</c> and what a person types once at <c>/sign-in</c>.</summary>
internal static class OperatorKey
{
    /// <summary>True when <paramref name="sent"/> is the key, compared in constant time; never true without a key.</summary>
    public static bool Matches(string? sent, string? key) =>
        !string.IsNullOrEmpty(sent)
        && !string.IsNullOrEmpty(key)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(key));

    /// <summary>A key for one run, when none is configured: the sample ships no shared default secret.</summary>
    public static string Generate() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
