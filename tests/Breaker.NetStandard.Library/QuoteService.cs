using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.NetStandard.Library
{
    /// <summary>Guarded methods of each shape, over a backend the tests script: which skus and tenants fail, what hangs.</summary>
    public sealed partial class QuoteService
    {
        /// <summary>Skus and tenants whose calls throw.</summary>
        public HashSet<string> Failing { get; } = new HashSet<string>();

        /// <summary>When set, <see cref="CountAsync"/> waits for it until its token is cancelled (a dependency that stops answering).</summary>
        public TaskCompletionSource<int>? Pending { get; set; }

        /// <summary>Calls that reached the backend.</summary>
        public int BackendCalls { get; private set; }

        [CircuitBreaker("ns-quotes", Fallback = nameof(Unavailable), MinimumThroughput = 2, SlidingWindowSize = 2, BreakDurationMs = 30_000, SuccessThreshold = 1)]
        public partial decimal Price(string sku);

        [CircuitBreaker("ns-tenants", Key = nameof(tenant), Fallback = nameof(NoQuota), ConsecutiveFailureThreshold = 2, BreakDurationMs = 30_000, SuccessThreshold = 1)]
        public partial int Quota(string tenant);

        [CircuitBreaker("ns-count", TimeoutMs = 1_000, ConsecutiveFailureThreshold = 1, BreakDurationMs = 10_000, SuccessThreshold = 1)]
        public partial Task<int> CountAsync(CancellationToken cancellationToken);

        [CircuitBreaker("ns-feed", ConsecutiveFailureThreshold = 1, BreakDurationMs = 5_000, SuccessThreshold = 1)]
        public partial IAsyncEnumerable<string> ReadAsync(string topic, CancellationToken cancellationToken);

        private decimal PriceCore(string sku) => Backend(sku, 9.5m);

        private decimal Unavailable(string sku) => -1m;

        private int QuotaCore(string tenant) => Backend(tenant, 10);

        private int NoQuota(string tenant) => -1;

        // The generated code hands the core a token that the breaker's timeout cancels; a dependency that hangs gives up on it.
        private Task<int> CountAsyncCore(CancellationToken cancellationToken)
        {
            BackendCalls++;
            if (Pending is not { } pending)
            {
                return Task.FromResult(7);
            }

            cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
            return pending.Task;
        }

        private async IAsyncEnumerable<string> ReadAsyncCore(string topic, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            BackendCalls++;
            await Task.Yield();
            yield return topic + ":1";
            if (Failing.Contains(topic))
            {
                throw new InvalidOperationException(topic + " broke mid-stream");
            }

            yield return topic + ":2";
        }

        private T Backend<T>(string name, T answer)
        {
            BackendCalls++;
            return Failing.Contains(name) ? throw new InvalidOperationException(name + " is down") : answer;
        }
    }
}
