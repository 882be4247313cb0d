using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Testing;

/// <summary>
/// A test's own circuit breakers on a fake clock. From its creation until <see cref="Dispose"/>, every call the test's
/// flow makes through a breaker of <see cref="CircuitBreakerRegistry.Default"/> (generated <c>[CircuitBreaker]</c> methods,
/// <c>Execute</c>, <c>ExecuteAsync</c>, Breaker.Http's handler) uses this scope's breaker of that name: made on first use
/// with the options the shared one is made with, on <see cref="Time"/>, seen by no other test. Tests running in parallel,
/// each with its own scope, never share a breaker.
/// </summary>
/// <remarks>
/// Make it where the test runs (in the test, or in an xUnit test class's constructor) and dispose it when the test ends.
/// The scope follows the test's <see cref="System.Threading.ExecutionContext"/>: into <c>await</c>s, <c>Task.Run</c> and
/// timers, not into work that drops it. See docs/testing.md for what is and is not isolated.
/// </remarks>
public sealed class BreakerTestScope : IDisposable
{
    private readonly CircuitBreakerScope _scope;
    private readonly ConcurrentDictionary<string, ScopedBreaker> _breakers = new(StringComparer.Ordinal);

    /// <summary>Makes a scope on a new <see cref="FakeTimeProvider"/> and makes it current for this test's flow.</summary>
    public BreakerTestScope()
        : this(new FakeTimeProvider())
    {
    }

    /// <summary>Makes a scope on <paramref name="time"/> (share it with the code under test when that code reads a clock too).</summary>
    /// <param name="time">The clock of the scope's breakers; the test moves it.</param>
    public BreakerTestScope(FakeTimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
        Start = time.GetUtcNow();
        _scope = new CircuitBreakerScope(time);
        // Every breaker the scope makes is observed from its creation, before its first call.
        _scope.Registry.BreakerAdded += (_, breaker) => Observe(breaker);
    }

    /// <summary>
    /// When <see langword="true"/>, a call through a shared breaker with no scope current throws instead of using the shared
    /// breaker (<see cref="CircuitBreakerScope.Required"/>): set it once for a test assembly whose every test makes a scope,
    /// so work that escapes its test's flow fails loudly. Process-wide.
    /// </summary>
    public static bool RequireScopes
    {
        get => CircuitBreakerScope.Required;
        set => CircuitBreakerScope.Required = value;
    }

    /// <summary>The scope's clock: move it with <see cref="Advance"/> (or <see cref="FakeTimeProvider.Advance"/>) to end breaks and fire timeouts.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>The scope's registry: its breakers, and <see cref="CircuitBreakerRegistry.Configure"/> for settings of this test only.</summary>
    public CircuitBreakerRegistry Registry => _scope.Registry;

    /// <summary>Every breaker the scope made so far, by name.</summary>
    public IReadOnlyList<ScopedBreaker> Breakers
    {
        get
        {
            ThrowIfNotInForce(forChange: false);
            return _breakers.Values.OrderBy(static b => b.Name, StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>True once <see cref="Dispose"/> ended the scope.</summary>
    public bool IsDisposed => _scope.IsDisposed;

    /// <summary>When the scope began, on its clock: the origin of the times in <see cref="ScopedBreaker.ToString"/>.</summary>
    internal DateTimeOffset Start { get; }

    /// <summary>
    /// The scope's breaker called <paramref name="name"/>, made now if no call made it yet: a name declared by a
    /// <c>[CircuitBreaker]</c> method or one that exists in <see cref="CircuitBreakerRegistry.Default"/>. A key's breaker
    /// (<c>group:key</c>) is found once a call in this scope made it.
    /// </summary>
    /// <param name="name">The breaker's name.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is a keyed group's: its calls use its keys' breakers, never one of its name.</exception>
    /// <exception cref="KeyNotFoundException">No breaker of that name is declared or exists: a typo, or a breaker made later by the code.</exception>
    public ScopedBreaker Breaker(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ThrowIfNotInForce(forChange: true);
        if (_breakers.TryGetValue(name, out ScopedBreaker? known))
        {
            return known;
        }

        if (BreakerDeclarations.IsKeyedGroup(name))
        {
            // A plain breaker of the group's name would be one that no call uses.
            throw new ArgumentException(
                $"'{name}' is a keyed group: its calls use one breaker per key, named '{name}:key', in this scope's own group. Use "
                + $"Breaker(\"{name}:key\") once the key's call made it, and Registry.Configure(\"{name}\", ...) to set every key's options.",
                nameof(name));
        }

        if (Registry.TryGet(name, out CircuitBreaker? made))
        {
            // A key's breaker a call made in this scope, or any breaker the test made here.
            return Observe(made);
        }

        if (!BreakerDeclarations.IsShared(name))
        {
            throw new KeyNotFoundException(
                $"No breaker named '{name}' is declared by a [CircuitBreaker] method of the loaded assemblies or exists in "
                + $"CircuitBreakerRegistry.Default (declared: {string.Join(", ", BreakerDeclarations.All.Select(static d => "'" + d.Name + "'").Distinct())}). "
                + "Use Breaker<T>(nameof(T.Method)) to name it by its method, make the call that creates it first, or make one for this test "
                + "only with Registry.GetOrAdd(name, defaults).");
        }

        return Observe(Registry.GetOrAdd(name));
    }

    /// <summary>The scope's breaker of the <c>[CircuitBreaker]</c> method <paramref name="methodName"/> of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The type that declares the method.</typeparam>
    /// <param name="methodName">The method's name: <c>nameof(T.Method)</c>.</param>
    /// <exception cref="BreakerAssertionException">The method declares no breaker, or its overloads declare different ones.</exception>
    public ScopedBreaker Breaker<T>(string methodName) => Breaker(BreakerDeclarations.For<T>(methodName).Name);

    /// <summary>Moves the scope's clock forward: breaks end, timeouts fire, time-based windows slide.</summary>
    /// <param name="by">How far.</param>
    public void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>Closes every breaker the scope made and forgets their windows (their history and counters stay).</summary>
    public void ResetAll()
    {
        foreach (ScopedBreaker breaker in Breakers)
        {
            breaker.Close();
        }
    }

    /// <summary>
    /// Ends the scope: calls in this flow use the shared breakers again (or an outer scope's). Work the test started that
    /// outlives it fails with <see cref="ObjectDisposedException"/> on its next call. Disposing twice does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">A scope made inside this one is still current, or this scope was never in force where the test ran.</exception>
    public void Dispose() => _scope.Dispose();

    /// <summary>
    /// Throws unless this scope is the one calls here use; a read may also come after the scope ended. Catches a scope made
    /// where the test's code does not run (an async method that returned), which would otherwise let the test use shared breakers.
    /// </summary>
    internal void ThrowIfNotInForce(bool forChange)
    {
        if (_scope.IsDisposed)
        {
            ObjectDisposedException.ThrowIf(forChange, this);
            return;
        }

        CircuitBreakerScope? current = CircuitBreakerScope.Current;
        if (current != _scope)
        {
            throw new InvalidOperationException(current is null
                ? "This BreakerTestScope is not in force here, so the calls here use the shared breakers, not its own: it was made in an "
                  + "async method that has returned (xUnit's IAsyncLifetime.InitializeAsync, an async helper) or in another flow. Make "
                  + "the scope where the test runs: in the test, or in the test class's constructor."
                : "This BreakerTestScope is not the one in force here: a scope made inside it (or in another test's flow) is, and the "
                  + "calls here use that one's breakers. Use the innermost scope.");
        }
    }

    private ScopedBreaker Observe(CircuitBreaker breaker) =>
        _breakers.GetOrAdd(breaker.Name, static (_, state) => new ScopedBreaker(state.Scope, state.Breaker), (Scope: this, Breaker: breaker));
}
