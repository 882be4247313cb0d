using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.EndToEnd.Tests.Services;

namespace Breaker.EndToEnd.Tests;

/// <summary>Generated keyed breakers: one breaker per value of the key parameter, from a bounded group.</summary>
public class KeyedTests
{
    [Fact]
    public void A_tenant_whose_backend_fails_opens_only_that_tenants_breaker()
    {
        var quotas = new TenantQuotas();
        quotas.Failing.Add("globex");

        Assert.Equal(new Quota("acme", 10), quotas.GetQuota("acme"));
        Assert.Equal(-1, quotas.GetQuota("globex").Remaining);
        Assert.Equal(-1, quotas.GetQuota("globex").Remaining); // the second failure opens globex's breaker
        int before = quotas.BackendCalls;

        Assert.Equal(-1, quotas.GetQuota("globex").Remaining); // rejected: answered by the fallback, the backend is spared
        Assert.Equal(new Quota("acme", 10), quotas.GetQuota("acme"));

        Assert.Equal(before + 1, quotas.BackendCalls);
        Assert.Equal(CircuitState.Open, TestClock.Breaker("e2e-tenants:globex").State);
        Assert.Equal(CircuitState.Closed, TestClock.Breaker("e2e-tenants:acme").State);
        Assert.Equal(1, TestClock.Metrics("e2e-tenants:globex").RejectedCalls);
        Assert.True(CircuitBreakerRegistry.Default.TryGetGroup("e2e-tenants", out CircuitBreakerGroup? group));
        Assert.Subset(group.GetBreakers().Select(static b => b.Name).ToHashSet(), new[] { "e2e-tenants:acme", "e2e-tenants:globex" }.ToHashSet());

        // The break ends for globex alone, and its backend is back.
        TestClock.Time.Advance(TimeSpan.FromSeconds(30));
        quotas.Failing.Clear();
        Assert.Equal(new Quota("globex", 10), quotas.GetQuota("globex"));
    }

    [Fact]
    public void A_keyed_method_is_declared_as_a_group_and_listed_before_its_first_call()
    {
        CircuitBreakerDeclaration declaration = Assert.Single(CircuitBreakerRegistry.Default.Declarations, static d => d.Name == "e2e-regions");
        Assert.Equal(("region", "CountAsync"), (declaration.KeyParameter, declaration.MethodName));

        CircuitBreakerGroup group = Assert.Single(CircuitBreakerRegistry.Default.Groups, static g => g.Name == "e2e-regions");
        Assert.Equal(TimeSpan.FromSeconds(1), group.Options.Timeout);
        Assert.DoesNotContain(CircuitBreakerRegistry.Default, static b => b.Name == "e2e-regions");
    }

    [Fact]
    public async Task An_async_keyed_call_times_out_on_its_own_keys_breaker_and_a_null_key_uses_the_shared_one()
    {
        var counter = new RegionalCounter();
        Assert.Equal((int)Region.Asia, await counter.CountAsync(Region.Asia, CancellationToken.None));
        Assert.Equal(-1, await counter.CountAsync(null, CancellationToken.None));

        counter.Pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<int> slow = counter.CountAsync(Region.Europe, CancellationToken.None);
        TestClock.Time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<TimeoutException>(() => slow);

        Assert.Equal(CircuitState.Open, TestClock.Breaker("e2e-regions:Europe").State);
        Assert.Equal(CircuitState.Closed, TestClock.Breaker("e2e-regions:Asia").State);
        Assert.Equal(1, TestClock.Metrics("e2e-regions:*").SuccessfulCalls);
        await Assert.ThrowsAsync<BrokenCircuitException>(() => counter.CountAsync(Region.Europe, CancellationToken.None));
    }

    [Fact]
    public void Configuring_the_group_by_name_reconfigures_every_tenants_breaker()
    {
        var quotas = new TenantQuotas();
        quotas.GetQuota("configured-a");
        quotas.GetQuota("configured-b");

        CircuitBreakerRegistry.Default.Configure("e2e-tenants", static o => { o.ConsecutiveFailureThreshold = 2; o.SuccessThreshold = 5; });

        Assert.Equal(5, TestClock.Breaker("e2e-tenants:configured-a").Options.SuccessThreshold);
        Assert.Equal(5, TestClock.Breaker("e2e-tenants:configured-b").Options.SuccessThreshold);
        Assert.Equal(30_000, TestClock.Breaker("e2e-tenants:configured-b").Options.BreakDuration.TotalMilliseconds);
    }

    [Fact]
    public void A_keyed_call_with_a_key_seen_before_allocates_nothing()
    {
        var quotas = new TenantQuotas();
        string tenant = string.Concat(Enumerable.Repeat("tenant-", 3));
        Call(); // once, so that nothing first-time (the key's breaker, the JIT) is measured

        long before = GC.GetAllocatedBytesForCurrentThread();
        int sum = Call();

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1_000 * tenant.Length, sum);

        int Call()
        {
            int total = 0;
            for (int i = 0; i < 1_000; i++)
            {
                total += quotas.Ping(tenant);
            }

            return total;
        }
    }
}
