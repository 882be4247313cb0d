#if !NET8_0_OR_GREATER
namespace System.Numerics;

/// <summary>netstandard2.0: the two <c>BitOperations</c> members Breaker uses (.NET Core 3.0+), with the same call shape.</summary>
internal static class BitOperations
{
    // Binary search over the bit positions: six compares whatever the value (durations are binned with it per call).
    public static int Log2(ulong value)
    {
        int log = 0;
        for (int shift = 32; shift > 0; shift >>= 1)
        {
            if (value >= 1UL << shift)
            {
                value >>= shift;
                log += shift;
            }
        }

        return log;
    }

    public static int Log2(uint value) => Log2((ulong)value);

    public static uint RoundUpToPowerOf2(uint value)
    {
        value--;
        value |= value >> 1;
        value |= value >> 2;
        value |= value >> 4;
        value |= value >> 8;
        value |= value >> 16;
        return value + 1;
    }
}
#endif
