#if !NET8_0_OR_GREATER
using System;
using System.Threading;

/// <summary>
/// netstandard2.0: <c>Thread.GetCurrentProcessorId</c> (.NET 5+) is missing, so striped counters pick their stripe by
/// managed thread id: still spread across threads, though two threads on one core may share a stripe.
/// </summary>
internal static class ThreadShims
{
    extension(Thread)
    {
        public static int GetCurrentProcessorId() => Environment.CurrentManagedThreadId;
    }
}
#endif
