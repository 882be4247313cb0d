using System;
using System.Runtime.InteropServices;

namespace Breaker;

/// <summary>
/// The breaker's answer to <see cref="CircuitBreaker.TryAcquire()"/>. When granted, report exactly one outcome on it:
/// <see cref="RecordSuccess"/>, <see cref="RecordFailure(Exception?, FailureKind)"/> or <see cref="RecordIgnored"/>.
/// </summary>
/// <remarks>A small struct so that asking for permission allocates nothing; generated code uses it directly.</remarks>
[StructLayout(LayoutKind.Auto)]
public readonly struct CircuitPermit
{
    private readonly CircuitBreaker? _breaker;

    internal CircuitPermit(CircuitBreaker breaker, int stateWord, PermitKind kind, long startTimestamp, bool precise = false)
    {
        _breaker = breaker;
        StateWord = stateWord;
        Kind = kind;
        StartTimestamp = startTimestamp;
        Precise = precise;
    }

    /// <summary>True when the call may run; false when the circuit rejected it (the rejection is already counted).</summary>
    public bool IsGranted => _breaker is not null && Kind != PermitKind.Rejected;

    internal int StateWord { get; }

    internal PermitKind Kind { get; }

    internal long StartTimestamp { get; }

    /// <summary>True when the start was read from the high-resolution clock, so the end must be too.</summary>
    internal bool Precise { get; }

    /// <summary>Reports that the call succeeded; its duration decides whether it was slow.</summary>
    public void RecordSuccess() => Granted().OnSuccess(in this);

    /// <summary>Reports that the call failed.</summary>
    /// <param name="exception">The exception the call ended with, or <see langword="null"/> for a result judged a failure.</param>
    /// <param name="kind">Why it failed.</param>
    public void RecordFailure(Exception? exception, FailureKind kind = FailureKind.Exception) => Granted().OnFailure(in this, exception, kind, TimeSpan.Zero);

    /// <summary>
    /// Reports that the call failed and that the dependency asked to be left alone for <paramref name="requestedBreak"/>
    /// (an HTTP <c>Retry-After</c>). If the circuit opens before that wait is over, on this failure or a later one, its break
    /// lasts at least what is left of the wait (at most <see cref="CircuitBreakerOptions.LongestBreak"/>); by itself the
    /// request opens nothing. A wait that is not positive asks for nothing.
    /// </summary>
    /// <param name="exception">The exception the call ended with, or <see langword="null"/> for a result judged a failure.</param>
    /// <param name="kind">Why it failed.</param>
    /// <param name="requestedBreak">How long the dependency asked to be left alone, from now.</param>
    public void RecordFailure(Exception? exception, FailureKind kind, TimeSpan requestedBreak) => Granted().OnFailure(in this, exception, kind, requestedBreak);

    /// <summary>Reports that the call ended without a verdict (the caller cancelled it, or the exception is ignored).</summary>
    public void RecordIgnored() => Granted().OnIgnored(in this);

    private CircuitBreaker Granted() =>
        IsGranted ? _breaker! : throw new InvalidOperationException("Only a granted permit can record an outcome.");
}

/// <summary>How a permit was admitted, which decides what its outcome may change.</summary>
internal enum PermitKind : byte
{
    /// <summary>Not admitted.</summary>
    Rejected,

    /// <summary>Admitted while closed: its outcome feeds the window, if the circuit is still in that closed period.</summary>
    Closed,

    /// <summary>A half-open probe: its outcome decides the verdict, if the circuit is still in that half-open period.</summary>
    Probe,

    /// <summary>Admitted in metrics-only mode although the circuit would have rejected it: counted, decides nothing.</summary>
    Observer,
}
