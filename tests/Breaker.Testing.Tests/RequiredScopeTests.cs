using System;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Testing.Tests.Services;

namespace Breaker.Testing.Tests;

/// <summary>
/// BreakerTestScope.RequireScopes: a call that finds no scope fails loudly. It is process-wide, so these tests run alone,
/// after every parallel one, and set it back.
/// </summary>
[Collection(Collection)]
public sealed class RequiredScopeTests : IDisposable
{
    public const string Collection = "Required breaker scopes";

    public RequiredScopeTests() => BreakerTestScope.RequireScopes = true;

    public void Dispose() => BreakerTestScope.RequireScopes = false;

    [Fact]
    public void A_generated_call_with_no_scope_throws_instead_of_using_the_shared_breaker()
    {
        var inventory = new Inventory();

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => inventory.Stock("abc"));

        Assert.Contains("'testing-stock' found no circuit breaker scope", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, inventory.Calls);
        Assert.True(BreakerTestScope.RequireScopes);
    }

    [Fact]
    public async Task Work_queued_without_the_tests_execution_context_fails_loudly()
    {
        using var scope = new BreakerTestScope();
        var inventory = new Inventory();
        var outcome = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);

        ThreadPool.UnsafeQueueUserWorkItem(
            _ =>
            {
                try
                {
                    inventory.Stock("abc");
                    outcome.SetResult(null);
                }
                catch (Exception error)
                {
                    outcome.SetResult(error);
                }
            },
            null);

        Assert.IsType<InvalidOperationException>(await outcome.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, inventory.Stock("abc")); // the test's own flow has its scope
    }
}

[CollectionDefinition(RequiredScopeTests.Collection, DisableParallelization = true)]
public sealed class RequiredScopeCollection;
