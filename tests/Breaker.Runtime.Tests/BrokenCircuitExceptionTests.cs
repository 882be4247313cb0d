using System;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

public sealed class BrokenCircuitExceptionTests
{
    [Fact]
    public void The_exception_carries_the_name_the_state_and_when_to_retry()
    {
        var error = new BrokenCircuitException("quotes", CircuitState.Open, TimeSpan.FromMilliseconds(1500));

        Assert.Equal("quotes", error.CircuitName);
        Assert.Equal(CircuitState.Open, error.State);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), error.RetryAfter);
        Assert.Equal("The circuit 'quotes' is Open and rejected the call; retry after 1500 ms.", error.Message);
    }

    [Fact]
    public void Without_a_retry_time_the_message_says_so_plainly()
    {
        var error = new BrokenCircuitException("quotes", CircuitState.Isolated, null);

        Assert.Null(error.RetryAfter);
        Assert.Equal("The circuit 'quotes' is Isolated and rejected the call.", error.Message);
    }

    [Fact]
    public void CreateRejectedException_reflects_the_breaker_now()
    {
        var time = new FakeTimeProvider();
        CircuitBreaker breaker = TestBreakers.Create(time, o => o.SuccessThreshold = 1);
        breaker.Trip();
        time.Advance(TimeSpan.FromSeconds(25));

        BrokenCircuitException open = breaker.CreateRejectedException();
        Assert.Equal(CircuitState.Open, open.State);
        Assert.Equal(TimeSpan.FromSeconds(5), open.RetryAfter);

        time.Advance(TimeSpan.FromSeconds(5));
        CircuitPermit probe = breaker.TryAcquire();
        BrokenCircuitException halfOpen = breaker.CreateRejectedException();
        Assert.Equal(CircuitState.HalfOpen, halfOpen.State);
        Assert.Null(halfOpen.RetryAfter); // unknown: it depends on the probe in flight
        probe.RecordIgnored();
    }
}
