#if !NET8_0_OR_GREATER
using System.Diagnostics.CodeAnalysis;

namespace Breaker;

// netstandard2.0 has no inline arrays (a .NET 8 runtime feature): the same counters as named fields behind a ref
// indexer, so CircuitBreaker.Metrics.cs reads and increments them exactly as it does the inline array on net8.0+.
public sealed partial class CircuitBreaker
{
    /// <summary>Failed calls by <see cref="FailureKind"/>, one counter each, inline in the breaker.</summary>
    private struct FailureCounts
    {
        public const int Length = (int)FailureKind.SlowCall + 1;

        private long _exception;
        private long _timeout;
        private long _httpError;
        private long _connectionError;
        private long _slowCall;

        [UnscopedRef]
        public ref long this[int kind]
        {
            get
            {
                switch ((FailureKind)kind)
                {
                    case FailureKind.Timeout: return ref _timeout;
                    case FailureKind.HttpError: return ref _httpError;
                    case FailureKind.ConnectionError: return ref _connectionError;
                    case FailureKind.SlowCall: return ref _slowCall;
                    default: return ref _exception;
                }
            }
        }
    }
}
#endif
