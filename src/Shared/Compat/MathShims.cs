#if !NET8_0_OR_GREATER
using System;

/// <summary>netstandard2.0: <c>Math.Clamp</c> (.NET Core 2.0+) and <c>Math.BigMul</c> of two ulongs (.NET 5+), with the same call shapes.</summary>
internal static class MathShims
{
    extension(Math)
    {
        public static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;

        public static long Clamp(long value, long min, long max) => value < min ? min : value > max ? max : value;

        public static double Clamp(double value, double min, double max) => value < min ? min : value > max ? max : value;

        /// <summary>The high 64 bits of the 128-bit product (the low ones in <paramref name="low"/>), from 32-bit halves.</summary>
        public static ulong BigMul(ulong a, ulong b, out ulong low)
        {
            ulong aLow = (uint)a, aHigh = a >> 32, bLow = (uint)b, bHigh = b >> 32;
            ulong lowLow = aLow * bLow, highLow = aHigh * bLow;

            // At most (2^32 - 1) * 2 + (2^32 - 1)^2 = 2^64 - 1: the middle column never overflows.
            ulong middle = (lowLow >> 32) + (uint)highLow + aLow * bHigh;
            low = (middle << 32) | (uint)lowLow;
            return aHigh * bHigh + (highLow >> 32) + (middle >> 32);
        }
    }
}
#endif
