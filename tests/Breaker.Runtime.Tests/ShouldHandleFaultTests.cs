using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>A <see cref="CircuitBreakerOptions.ShouldHandle"/> that throws: the call's own exception wins, nothing leaks, the fault is reported.</summary>
public sealed class ShouldHandleFaultTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task ExecuteAsync_surfaces_the_calls_exception_counts_a_failure_and_reports_the_predicates_fault()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.ShouldHandle = Throwing);
        var reports = new List<ShouldHandleFailedEventArgs>();
        var failures = new List<CallFailedEventArgs>();
        breaker.ShouldHandleFailed += (_, e) => reports.Add(e);
        breaker.CallFailed += (_, e) => failures.Add(e);
        var timeout = new TimeoutException("the dependency did not answer");

        TimeoutException thrown = await Assert.ThrowsAsync<TimeoutException>(async () =>
            await breaker.ExecuteAsync(static (e, _) => ValueTask.FromException<int>(e), timeout));

        Assert.Same(timeout, thrown);
        ShouldHandleFailedEventArgs report = Assert.Single(reports);
        Assert.Same(breaker, report.Breaker);
        Assert.Same(timeout, report.Exception);
        Assert.Equal("ShouldHandle is broken", report.Error.Message);
        CallFailedEventArgs failure = Assert.Single(failures);
        Assert.Equal(FailureKind.Timeout, failure.Kind);
        Assert.Same(timeout, failure.Exception);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
    }

    [Fact]
    public void Execute_surfaces_the_calls_exception_and_counts_a_failure()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.ShouldHandle = Throwing);
        var reports = new List<ShouldHandleFailedEventArgs>();
        breaker.ShouldHandleFailed += (_, e) => reports.Add(e);
        var error = new InvalidOperationException("down");

        InvalidOperationException thrown = Assert.Throws<InvalidOperationException>(() => breaker.Execute(static e => { throw e; }, error));

        Assert.Same(error, thrown);
        Assert.Same(error, Assert.Single(reports).Exception);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
    }

    [Fact]
    public async Task A_probe_whose_ShouldHandle_throws_gives_a_verdict_and_leaks_no_half_open_slot()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o =>
        {
            o.SuccessThreshold = 1;
            o.ShouldHandle = Throwing;
        });
        breaker.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<TimeoutException>(async () =>
            await breaker.ExecuteAsync<int>(static _ => throw new TimeoutException("probe timed out")));

        // The probe failed, so the circuit opened again for a new break; had its slot leaked, no probe would ever run again.
        Assert.Equal(CircuitState.Open, Assert.Throws<BrokenCircuitException>(() => breaker.Execute(static () => 0)).State);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(7, await breaker.ExecuteAsync(static _ => ValueTask.FromResult(7)));
        Assert.Equal(CircuitState.Closed, breaker.GetMetrics().State);
    }

    [Fact]
    public void A_listener_that_throws_on_the_report_changes_nothing_for_the_caller()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => o.ShouldHandle = Throwing);
        breaker.ShouldHandleFailed += static (_, _) => throw new InvalidOperationException("listener bug");
        var error = new FormatException("bad input");

        FormatException thrown = Assert.Throws<FormatException>(() => breaker.Execute(static e => { throw e; }, error));

        Assert.Same(error, thrown);
        Assert.Equal(1, breaker.GetMetrics().FailedCalls);
    }

    private static bool Throwing(Exception exception) => throw new InvalidOperationException("ShouldHandle is broken");
}
