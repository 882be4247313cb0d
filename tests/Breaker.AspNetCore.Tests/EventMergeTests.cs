using System;
using System.Collections.Generic;
using System.Linq;
using Breaker.AspNetCore.Endpoints;

namespace Breaker.AspNetCore.Tests;

/// <summary>
/// The merged events feed reads only the breakers whose events can reach its page; these check that it still answers what
/// reading and sorting every breaker's events would, on random histories: many breakers, events at the same instant, a
/// clock set back, rejections still going on, configuration events, every kind of page.
/// </summary>
public sealed class EventMergeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Every_page_is_the_one_a_full_sort_of_every_breakers_events_gives(int seed)
    {
        var random = new Random(seed);
        var clock = new SettableClock();
        var registry = new CircuitBreakerRegistry(clock);
        string[] names = [.. Enumerable.Range(0, 60).Select(i => $"b{random.Next(1000):D3}-{i}")];
        for (int step = 0; step < 600; step++)
        {
            clock.Move(random);
            string name = names[random.Next(names.Length)];
            CircuitBreaker breaker = registry.GetOrAdd(name, static options =>
            {
                options.MinimumThroughput = 2;
                options.SlidingWindowSize = 4;
            });
            switch (random.Next(6))
            {
                case 0:
                    breaker.Isolate();
                    break;
                case 1:
                    breaker.Reset();
                    break;
                case 2:
                    registry.Configure(name, options => options.BreakDuration = TimeSpan.FromSeconds(1 + random.Next(100)));
                    break;
                default:
                    Call(breaker, failing: random.Next(3) > 0);
                    break;
            }
        }

        List<CircuitBreakerEvent> all = [.. registry
            .SelectMany(static b => b.GetRecentEvents())
            .OrderByDescending(static e => e.Time)
            .ThenBy(static e => e.BreakerName, StringComparer.Ordinal)
            .ThenByDescending(static e => e.Sequence)];
        Assert.True(all.Count > 200, $"The random history made {all.Count} events.");
        Assert.Contains(all, static e => e.IsOngoing);
        foreach ((int offset, int limit) in new[] { (0, 25), (0, 1), (0, 500), (3, 7), (24, 25), (all.Count - 1, 5), (all.Count, 5), (int.MaxValue, 500) })
        {
            List<CircuitBreakerEvent> page = EventMerge.Page(registry, offset, limit, out int total);

            Assert.Equal(all.Count, total);
            Assert.Equal(all.Skip(offset).Take(limit), page);
        }
    }

    private static void Call(CircuitBreaker breaker, bool failing)
    {
        CircuitPermit permit = breaker.TryAcquire();
        if (!permit.IsGranted)
        {
            return;
        }

        if (failing)
        {
            permit.RecordFailure(new InvalidOperationException("down"));
        }
        else
        {
            permit.RecordSuccess();
        }
    }

    /// <summary>A wall clock that stays put, steps on, or is set back, as a test says (the breakers' timestamps run on).</summary>
    private sealed class SettableClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        /// <summary>Half the time the same instant, mostly a few seconds on, sometimes set back.</summary>
        public void Move(Random random)
        {
            int roll = random.Next(10);
            _now += roll < 5 ? TimeSpan.Zero : roll < 9 ? TimeSpan.FromSeconds(random.Next(1, 4)) : -TimeSpan.FromSeconds(random.Next(1, 6));
        }
    }
}
