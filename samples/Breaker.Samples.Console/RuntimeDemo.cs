using System;
using System.Linq;
using Breaker.Samples.Console.Infrastructure;

namespace Breaker.Samples.Console;

/// <summary>The steps that use the runtime directly, through <see cref="CircuitBreaker.Execute{TState, TResult}"/>.</summary>
internal sealed class RuntimeDemo(CircuitBreakerRegistry registry, SampleClock clock, Random random)
{
    private readonly FlakyDependency _inventory = new("inventory-service", random);
    private CircuitBreaker _breaker = null!;
    private int _request;

    public void CustomConfiguration()
    {
        Terminal.Step("Custom configuration");
        registry.Configure("inventory", static o =>
        {
            o.FailureRatio = 0.5;
            o.MinimumThroughput = 4;
            o.SlidingWindowSize = 10;
            o.BreakDuration = TimeSpan.FromSeconds(30);
            o.BreakDurationMultiplier = 2;
            o.SuccessThreshold = 2;
        });
        _breaker = registry.GetOrAdd("inventory");
        CircuitBreakerOptions o = _breaker.Options;
        Terminal.Line($"breaker '{_breaker.Name}': opens at a failure ratio of {o.FailureRatio:P0} over the last {o.SlidingWindowSize} calls");
        Terminal.Line($"(once it has seen {o.MinimumThroughput}), breaks for {o.BreakDuration.TotalSeconds:0} s (×{o.BreakDurationMultiplier} on each failed recovery),");
        Terminal.Line($"and closes after {o.SuccessThreshold} successful probes.");
        Terminal.State(_breaker);
    }

    public void SuccessfulCalls()
    {
        Terminal.Step("Successful calls");
        _inventory.FailureRate = 0;
        for (int i = 0; i < 5; i++)
        {
            Call();
        }

        Terminal.State(_breaker);
    }

    public void FailuresTripTheBreaker()
    {
        Terminal.Step("Failures trip the breaker");
        _inventory.FailureRate = 1;
        while (_breaker.State == CircuitState.Closed)
        {
            Call();
        }

        CircuitBreakerMetrics metrics = _breaker.GetMetrics();
        Terminal.Line($"failure rate over the window: {metrics.FailureRate:P0} of {metrics.WindowCalls} calls");
        Terminal.State(_breaker);
    }

    public void Protection()
    {
        Terminal.Step("Protection: calls rejected without reaching the service");
        int before = _inventory.Received;
        for (int i = 0; i < 4; i++)
        {
            Call();
        }

        Terminal.Line($"the inventory service received {_inventory.Received - before} of those 4 calls");
    }

    public void RecoveryAfterTheBreak()
    {
        Terminal.Step("Recovery after the break");
        clock.Advance(_breaker.GetMetrics().RetryAfter ?? TimeSpan.Zero);
        Terminal.Line("30 seconds later (on the demo's clock) the break is over:");
        Terminal.State(_breaker);
        Terminal.Line("the service is still down, so the first probe fails and the break doubles:");
        Call();
        Terminal.State(_breaker);
        Terminal.Line($"retry after {_breaker.GetMetrics().RetryAfter?.TotalSeconds:0} s");
    }

    public void HalfOpenRecovery()
    {
        Terminal.Step("Half-open recovery");
        clock.Advance(_breaker.GetMetrics().RetryAfter ?? TimeSpan.Zero);
        _inventory.FailureRate = 0;
        Terminal.Line("the service is back; two successful probes close the circuit:");
        Call();
        Terminal.State(_breaker);
        Call();
        Terminal.State(_breaker);
    }

    public void RegistrySummary()
    {
        Terminal.Step("Registry summary");
        foreach (string line in registry.GetSummary().ToString().TrimEnd().Split('\n'))
        {
            Terminal.Line(line.TrimEnd('\r'));
        }
    }

    public void ListenerAndReset()
    {
        Terminal.Step("A state-change listener, isolation and a reset");
        _breaker.StateChanged += static (_, e) => Terminal.Line($"[listener] {e.Breaker.Name}: {e.From} → {e.To}");
        Terminal.Line("an operator isolates the inventory breaker for maintenance:");
        _breaker.Isolate();
        Call();
        Terminal.Line("and resets it afterwards:");
        _breaker.Reset();
        Call();
    }

    public void FinalMetrics()
    {
        Terminal.Step("Final metrics of every breaker");
        Terminal.Line($"{"breaker",-18}{"state",-12}{"calls",7}{"ok",6}{"failed",8}{"rejected",10}{"fallback",10}{"opens",7}");
        foreach (CircuitBreakerMetrics m in registry.GetSummary().Breakers)
        {
            Terminal.Line($"{m.Name,-18}{m.State,-12}{m.TotalCalls,7}{m.SuccessfulCalls,6}{m.FailedCalls,8}{m.RejectedCalls,10}{m.FallbackCalls,10}{m.CircuitOpens,7}");
        }

        Terminal.Line($"total calls: {registry.Sum(static b => b.GetMetrics().TotalCalls)}");
    }

    private void Call()
    {
        int request = ++_request;
        try
        {
            string answer = _breaker.Execute(static s => s.Service.Call(s.Request), (Service: _inventory, Request: request));
            Terminal.Outcome(true, answer);
        }
        catch (BrokenCircuitException rejected)
        {
            Terminal.Outcome(false, $"rejected: {rejected.Message}");
        }
        catch (InvalidOperationException failure)
        {
            Terminal.Outcome(false, failure.Message);
        }
    }
}
