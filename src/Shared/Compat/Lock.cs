#if !NET9_0_OR_GREATER
namespace System.Threading;

/// <summary>
/// Before .NET 9: <c>System.Threading.Lock</c> is missing, so the <c>lock</c> statement on this stand-in takes the
/// monitor of an object it holds, through <see cref="EnterScope"/>, the member the compiler calls for a Lock.
/// </summary>
internal sealed class Lock
{
    private readonly object _monitor = new();

    /// <summary>Takes the lock until the returned scope is disposed.</summary>
    public Scope EnterScope()
    {
        Monitor.Enter(_monitor);
        return new Scope(_monitor);
    }

    /// <summary>Holds the lock taken by <see cref="EnterScope"/>.</summary>
    public readonly ref struct Scope
    {
        private readonly object _monitor;

        public Scope(object monitor) => _monitor = monitor;

        /// <summary>Releases the lock.</summary>
        public void Dispose() => Monitor.Exit(_monitor);
    }
}
#endif
