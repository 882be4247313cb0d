using System;
using System.Numerics;
using System.Threading;

namespace Breaker.Timing;

/// <summary>Which stripe the current thread uses: its processor, folded onto a power-of-two count.</summary>
internal static class Stripes
{
    public static readonly int Count = (int)Math.Min(64, BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    public static int Current => Thread.GetCurrentProcessorId() & (Count - 1);
}
