#if !NET8_0_OR_GREATER
using System;

/// <summary>netstandard2.0: the one-argument <c>Array.Clear(array)</c> of .NET 6+.</summary>
internal static class ArrayShims
{
    extension(Array)
    {
        public static void Clear(Array array) => Array.Clear(array, 0, array.Length);
    }
}
#endif
