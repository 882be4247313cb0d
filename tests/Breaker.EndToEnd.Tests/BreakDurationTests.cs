using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.EndToEnd.Tests.Services;

namespace Breaker.EndToEnd.Tests;

/// <summary>Break lengths set by the attribute: the hook it names, back-off, the longest break and jitter, in generated code.</summary>
public class BreakDurationTests
{
    [Fact]
    public async Task The_hook_the_attribute_names_sets_the_break_from_the_failure_and_is_declared_with_the_breaker()
    {
        CircuitBreakerDeclaration declaration = Assert.Single(CircuitBreakerRegistry.Default.Declarations, static d => d.Name == "e2e-hook");
        Assert.NotNull(declaration.Options.BreakDurationHook);
        var partner = new Partner { Failure = new RateLimitedException(TimeSpan.FromSeconds(90)) };

        await Assert.ThrowsAsync<RateLimitedException>(() => partner.SendAsync("a", CancellationToken.None));

        BrokenCircuitException rejection = await Assert.ThrowsAsync<BrokenCircuitException>(() => partner.SendAsync("b", CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(90), rejection.RetryAfter);
        TestClock.Time.Advance(TimeSpan.FromSeconds(89));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => partner.SendAsync("c", CancellationToken.None));
        Assert.Equal(1, partner.Calls);

        // The probe fails without a wait asked for: the default break. Then a wait past the longest break is held to it.
        TestClock.Time.Advance(TimeSpan.FromSeconds(1));
        partner.Failure = new InvalidOperationException("down");
        await Assert.ThrowsAsync<InvalidOperationException>(() => partner.SendAsync("d", CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(30), TestClock.Metrics("e2e-hook").RetryAfter);

        TestClock.Time.Advance(TimeSpan.FromSeconds(30));
        partner.Failure = new RateLimitedException(TimeSpan.FromHours(5));
        await Assert.ThrowsAsync<RateLimitedException>(() => partner.SendAsync("e", CancellationToken.None));
        Assert.Equal(TimeSpan.FromSeconds(120), TestClock.Metrics("e2e-hook").RetryAfter);

        TestClock.Time.Advance(TimeSpan.FromSeconds(120));
        partner.Failure = null;
        Assert.Equal("sent f", await partner.SendAsync("f", CancellationToken.None));
        Assert.Equal(CircuitState.Closed, TestClock.Breaker("e2e-hook").State);
    }

    [Fact]
    public void Jitter_and_back_off_from_the_attribute_spread_each_break_and_a_seed_replays_them()
    {
        CircuitBreakerRegistry.Default.Configure("e2e-jitter", static o => o.BreakJitterSeed = 11);
        List<TimeSpan> first = Breaks();
        CircuitBreaker breaker = TestClock.Breaker("e2e-jitter");
        breaker.Reset();
        List<TimeSpan> replayed = Breaks();

        // 10 s, then 20 s, then 25 s (the longest) for good, each spread by up to a fifth either way and never past 25 s.
        Assert.InRange(first[0], TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12));
        Assert.InRange(first[1], TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(24));
        Assert.All(first.Skip(2), static b => Assert.InRange(b, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(25)));
        Assert.True(first.Distinct().Count() > 1);
        Assert.Equal(0.2, breaker.Options.BreakJitterRatio);

        // Reset starts the back-off again; the same seed on a reconfigured breaker replays the same sequence.
        CircuitBreakerRegistry.Default.Configure("e2e-jitter", static o => o.BreakJitterSeed = 11);
        breaker.Reset();
        Assert.Equal(first, Breaks());
        Assert.NotEqual(first, replayed);
    }

    /// <summary>Opens the breaker, then fails its probe eight times, and returns the break of every opening.</summary>
    private static List<TimeSpan> Breaks()
    {
        Spreader.Failing = true;
        var breaks = new List<TimeSpan>();
        for (int i = 0; i < 9; i++)
        {
            Assert.Throws<InvalidOperationException>(static () => Spreader.Next());
            TimeSpan chosen = TestClock.Metrics("e2e-jitter").RetryAfter!.Value;
            breaks.Add(chosen);
            TestClock.Time.Advance(chosen);
        }

        Spreader.Failing = false;
        return breaks;
    }
}
