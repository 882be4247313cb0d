#if !NET8_0_OR_GREATER
using System;

/// <summary>netstandard2.0: <c>Math.Clamp</c>, with the same call shape as on .NET Core 2.0+.</summary>
internal static class MathShims
{
    extension(Math)
    {
        public static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;

        public static long Clamp(long value, long min, long max) => value < min ? min : value > max ? max : value;

        public static double Clamp(double value, double min, double max) => value < min ? min : value > max ? max : value;
    }
}
#endif
