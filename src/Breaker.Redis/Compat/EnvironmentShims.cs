#if !NET8_0_OR_GREATER
using System;
using System.Diagnostics;

/// <summary>netstandard2.0: <c>Environment.ProcessId</c> (.NET 5), read once per call from the current process.</summary>
internal static class EnvironmentShims
{
    extension(Environment)
    {
        public static int ProcessId
        {
            get
            {
                using var current = Process.GetCurrentProcess();
                return current.Id;
            }
        }
    }
}
#endif
