#if !NET8_0_OR_GREATER
using System.Runtime.CompilerServices;

namespace System.Security.Cryptography;

/// <summary>netstandard2.0: the comparison of .NET Core 2.1's <c>CryptographicOperations</c> that verifying a tag needs.</summary>
internal static class CryptographicOperations
{
    /// <summary>Whether two spans hold the same bytes, taking as long whatever bytes differ (only their lengths may end it early).</summary>
    // Not inlined nor optimized: the loop must not be turned into one that stops at the first difference.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.NoOptimization)]
    public static bool FixedTimeEquals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        if (left.Length != right.Length)
        {
            return false;
        }

        int difference = 0;
        for (int i = 0; i < left.Length; i++)
        {
            difference |= left[i] ^ right[i];
        }

        return difference == 0;
    }
}
#endif
