using System;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Breaker;

/// <summary>
/// Gives the code running in one async flow breakers of its own, so that tests running in parallel never share one. While
/// a scope is current, a call through a breaker of <see cref="CircuitBreakerRegistry.Default"/> (a generated method,
/// <c>Execute</c>, <c>ExecuteAsync</c>, the HttpClient handler) uses the breaker of the same name in the scope's
/// <see cref="Registry"/> instead, made on first use with the options the shared one is made with, on the scope's clock.
/// Breaker.Testing's <c>BreakerTestScope</c> builds on it.
/// </summary>
/// <remarks>
/// A scope is current from its creation until <see cref="Dispose"/> in the flow that created it and in every flow started
/// from there (<c>await</c>, <c>Task.Run</c>, timers, threads: whatever carries the <see cref="ExecutionContext"/>). While a
/// scope is current, a call's permit (<c>TryAcquire</c>) is asked of the scope's breaker, and changing a shared breaker by
/// hand (<c>Isolate</c>, <c>Reset</c>, <c>SetMetricsOnly</c>, <c>StartBreak</c>, <c>EndBreak</c>) throws
/// <see cref="InvalidOperationException"/>: it would change every other test's breaker and not this scope's. A keyed
/// group of the default registry is the scope's own group of its name: its keys, bound, evictions and shared breaker. Until the first scope is made, calls pay one static read for all this.
/// </remarks>
public sealed class CircuitBreakerScope : IDisposable
{
    private static readonly AsyncLocal<CircuitBreakerScope?> Ambient = new();

    // Set once and never cleared: a scope was made, or scopes are required. Until then Resolve reads nothing else (no
    // AsyncLocal). A plain read is enough: a flow can only see a scope that was made after this was set.
    private static bool s_used;
    private static volatile bool s_required;

    private readonly CircuitBreakerScope? _outer;
    private int _disposed;
    private volatile bool _resolved;

    /// <summary>Makes a scope with a registry of its own and makes it current in this flow (a scope already current here comes back when this one is disposed).</summary>
    /// <param name="timeProvider">The clock of the scope's breakers; <see langword="null"/> for <see cref="TimeProvider.System"/>. Tests pass a fake one.</param>
    public CircuitBreakerScope(TimeProvider? timeProvider = null)
    {
        Registry = new CircuitBreakerRegistry(timeProvider, standsInFor: CircuitBreakerRegistry.Default);
        s_used = true;
        _outer = Ambient.Value;
        Ambient.Value = this;
    }

    /// <summary>The scope current in this flow, or <see langword="null"/> (a disposed scope stays current in flows that outlived it).</summary>
    public static CircuitBreakerScope? Current => Ambient.Value;

    /// <summary>
    /// When <see langword="true"/>, a call through a breaker of <see cref="CircuitBreakerRegistry.Default"/> with no scope
    /// current throws <see cref="InvalidOperationException"/> instead of using the shared breaker: for test assemblies whose
    /// every test makes a scope, so that work escaping its test's flow fails loudly rather than sharing state. Process-wide.
    /// </summary>
    public static bool Required
    {
        get => s_required;
        set
        {
            s_used |= value;
            s_required = value;
        }
    }

    /// <summary>Whether any scope was ever made or scopes are required: until then nothing here needs a look.</summary>
    internal static bool InUse => s_used;

    /// <summary>The scope's breakers: those of <see cref="CircuitBreakerRegistry.Default"/>'s names, and any made here by name.</summary>
    public CircuitBreakerRegistry Registry { get; }

    /// <summary>True once <see cref="Dispose"/> ended the scope.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// The breaker a call through <paramref name="breaker"/> uses in this flow: <paramref name="breaker"/> itself, unless it
    /// belongs to <see cref="CircuitBreakerRegistry.Default"/> and a scope is current, then the scope's breaker of that
    /// name. Generated code calls it once per call.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The scope current in this flow was disposed: work started in it outlived it.</exception>
    /// <exception cref="InvalidOperationException">Scopes are <see cref="Required"/> and none is current.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CircuitBreaker Resolve(CircuitBreaker breaker)
    {
        // The production path: one static read, false until a test makes a scope, so the JIT keeps the call this cheap.
        if (!s_used)
        {
            return breaker;
        }

        return ResolveInScope(breaker);
    }

    /// <summary>
    /// Ends the scope: the scope that was current when it was made is current again in this flow, and a call in a flow that
    /// still sees this one (work it started that outlived it) throws <see cref="ObjectDisposedException"/>. Disposing twice does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// A scope made inside this one is still current here (dispose the inner one first), or this scope was never current in
    /// the flow disposing it and no call used it (it was made in an async method that has returned, so the code it was meant
    /// for ran without it).
    /// </exception>
    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }

        CircuitBreakerScope? current = Ambient.Value;
        if (current == this)
        {
            Volatile.Write(ref _disposed, 1);
            Ambient.Value = _outer;
            return;
        }

        for (CircuitBreakerScope? inner = current; inner is not null; inner = inner._outer)
        {
            if (inner._outer == this)
            {
                throw new InvalidOperationException("A circuit breaker scope made inside this one is still current: dispose the inner scope first.");
            }
        }

        Volatile.Write(ref _disposed, 1);
        if (!_resolved)
        {
            throw new InvalidOperationException(
                "This circuit breaker scope is not current in the flow that disposes it, and no call ever used it: it was made in an "
                + "async method that has returned (xUnit's IAsyncLifetime.InitializeAsync, an async helper, a Task.Run), so the code it "
                + "was meant for ran with the shared breakers. Make the scope where the test runs: in the test, or in the test class's constructor.");
        }
    }

    /// <summary>Throws when a scope is current and <paramref name="breaker"/> is shared: changing it by hand would change every test's breaker but this scope's.</summary>
    internal static void ThrowIfShadowed(CircuitBreaker breaker, string operation)
    {
        if (s_used && breaker.Owner == CircuitBreakerRegistry.Default && Ambient.Value is not null)
        {
            throw new InvalidOperationException(
                $"{operation} on the shared breaker '{breaker.Name}' of CircuitBreakerRegistry.Default, in the flow of a circuit breaker scope: "
                + $"the calls here use the scope's own '{breaker.Name}', and the shared one belongs to every other test. "
                + "Change the scope's breaker instead (CircuitBreakerScope.Current.Registry, or BreakerTestScope.Breaker(name) in Breaker.Testing).");
        }
    }

    /// <summary>
    /// The scope's group standing in for <paramref name="group"/> of <see cref="CircuitBreakerRegistry.Default"/> in this flow,
    /// made on first use; null when no scope is current or the group is not the default registry's. Keyed lookups call it
    /// before anything else, so that a scope owns its groups whole: keys, bound, evictions and shared breaker. A read made
    /// in a scope (TryGetBreaker) makes the scope's group, empty, but no breaker.
    /// </summary>
    internal static CircuitBreakerGroup? StandInGroup(CircuitBreakerGroup group)
    {
        if (group.Registry != CircuitBreakerRegistry.Default)
        {
            return null;
        }

        CircuitBreakerScope? scope = InScope(group.Name);
        if (scope is null)
        {
            return s_required ? throw Unscoped(group.Name) : null;
        }

        return scope.Registry.StandInFor(group);
    }

    private static CircuitBreaker ResolveInScope(CircuitBreaker breaker)
    {
        if (breaker.Owner != CircuitBreakerRegistry.Default)
        {
            return breaker;
        }

        CircuitBreakerScope? scope = InScope(breaker.Name);
        if (scope is null)
        {
            return s_required ? throw Unscoped(breaker.Name) : breaker;
        }

        return scope.Registry.StandInFor(breaker);
    }

    /// <summary>The scope current in this flow, marked as used by a call; throws when it was disposed.</summary>
    private static CircuitBreakerScope? InScope(string name)
    {
        CircuitBreakerScope? scope = Ambient.Value;
        if (scope is null)
        {
            return null;
        }

        if (scope.IsDisposed)
        {
            throw new ObjectDisposedException(
                nameof(CircuitBreakerScope),
                $"A call through circuit breaker '{name}' runs in the flow of a circuit breaker scope that was disposed: work started "
                + "in the scope (a Task.Run, a timer, a fire-and-forget call) outlived it. Await that work before the scope ends.");
        }

        if (!scope._resolved)
        {
            scope._resolved = true;
        }

        return scope;
    }

    private static InvalidOperationException Unscoped(string name) => new(
        $"A call through the shared circuit breaker '{name}' found no circuit breaker scope, and CircuitBreakerScope.Required is set. "
        + "The call runs outside its test's flow (a thread or callback that does not carry the ExecutionContext: ThreadPool.UnsafeQueueUserWorkItem, "
        + "ExecutionContext.SuppressFlow, a server that does not preserve it), or its test made no scope.");
}
