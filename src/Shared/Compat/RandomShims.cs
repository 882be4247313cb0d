#if !NET8_0_OR_GREATER
using System;

/// <summary>netstandard2.0: <c>Random.Shared</c>, one instance per thread (Random is not thread-safe there).</summary>
internal static class RandomShims
{
    [ThreadStatic]
    private static Random? s_perThread;

    extension(Random)
    {
        public static Random Shared => s_perThread ??= new Random(Environment.CurrentManagedThreadId ^ Environment.TickCount);
    }
}
#endif
