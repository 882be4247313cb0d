using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// A breaker's recent history (GetRecentEvents): each real state change once, in order, with why; rejections counted per
/// period, never one event each; configuration applied or refused; a bounded ring that readers never see half-written.
/// </summary>
public sealed class RecentEventsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_trip_a_break_and_a_recovery_are_recorded_once_each_with_why_and_the_rejections_in_between()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        var raised = new List<CircuitTransitionReason>();
        breaker.StateChanged += (_, e) => raised.Add(e.Reason);
        breaker.Succeed(2);
        breaker.Fail(2);
        DateTimeOffset opened = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(5));
        Reject(breaker, 3);

        IReadOnlyList<CircuitBreakerEvent> whileOpen = breaker.GetRecentEvents();
        Assert.Equal(whileOpen, breaker.GetRecentEvents()); // reading changes nothing
        CircuitBreakerEvent ongoing = whileOpen[0];
        Assert.Equal((CircuitBreakerEventKind.CallsRejected, CircuitState.Open, 3L, true, opened, 2L), (ongoing.Kind, ongoing.From, ongoing.Count, ongoing.IsOngoing, ongoing.Since, ongoing.Sequence));
        Assert.Equal(2, whileOpen.Count);

        _time.Advance(TimeSpan.FromSeconds(25));
        breaker.Succeed(2);

        Assert.Equal(
            [
                "4 StateChanged HalfOpen->Closed ProbesSucceeded",
                "3 StateChanged Open->HalfOpen BreakOver",
                "2 CallsRejected Open 3 since 09:00:00",
                "1 StateChanged Closed->Open FailureRatio break 30 s",
            ],
            breaker.GetRecentEvents().Select(Describe));
        Assert.Equal([CircuitTransitionReason.FailureRatio, CircuitTransitionReason.BreakOver, CircuitTransitionReason.ProbesSucceeded], raised);
        Assert.Equal(opened + TimeSpan.FromSeconds(30), breaker.GetRecentEvents()[0].Time);
    }

    [Fact]
    public void Every_reason_a_circuit_moves_is_named()
    {
        CircuitBreaker slow = TestBreakers.Create(_time, o => (o.SlowCallRatio, o.SlowCallDuration) = (0.5, TimeSpan.FromSeconds(1)));
        for (int i = 0; i < 4; i++)
        {
            CircuitPermit permit = slow.TryAcquire();
            _time.Advance(TimeSpan.FromSeconds(i < 2 ? 2 : 0));
            permit.RecordSuccess();
        }

        Assert.Equal("1 StateChanged Closed->Open SlowCallRatio break 30 s", Describe(slow.GetRecentEvents().Single()));

        CircuitBreaker consecutive = TestBreakers.Create(_time, o => (o.ConsecutiveFailureThreshold, o.FailureRatio, o.MinimumThroughput) = (2, 1.0, 10));
        consecutive.Succeed(5);
        consecutive.Fail(2);
        Assert.Equal(CircuitTransitionReason.ConsecutiveFailures, consecutive.GetRecentEvents().Single().Reason);

        // Probes: one fails, one is slow, one is still running a whole break later.
        CircuitBreaker probed = TestBreakers.Create(_time, o => o.SlowCallDuration = TimeSpan.FromSeconds(1));
        probed.Trip();
        _time.Advance(TimeSpan.FromSeconds(30));
        probed.Fail(1);
        _time.Advance(TimeSpan.FromSeconds(30));
        CircuitPermit slowProbe = probed.TryAcquire();
        _time.Advance(TimeSpan.FromSeconds(2));
        slowProbe.RecordSuccess();
        _time.Advance(TimeSpan.FromSeconds(30));
        CircuitPermit stuck = probed.TryAcquire();
        CircuitPermit other = probed.TryAcquire();
        Assert.True(stuck.IsGranted && other.IsGranted);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(probed.TryAcquire().IsGranted);
        Assert.Equal(
            [
                "StateChanged HalfOpen->Open ProbeStuck", "StateChanged Open->HalfOpen BreakOver",
                "StateChanged HalfOpen->Open SlowProbe", "StateChanged Open->HalfOpen BreakOver",
                "StateChanged HalfOpen->Open ProbeFailed", "StateChanged Open->HalfOpen BreakOver",
                "StateChanged Closed->Open FailureRatio",
            ],
            probed.GetRecentEvents().Where(static e => !e.IsOngoing).Select(static e => $"{e.Kind} {e.From}->{e.To} {e.Reason}"));
        Assert.Equal(1, probed.GetRecentEvents().Count(static e => e.IsOngoing));
    }

    [Fact]
    public void Changes_by_hand_and_in_metrics_only_mode_say_so_and_would_be_rejections_count_as_such()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Isolate();
        Reject(breaker, 2);
        breaker.Reset();
        breaker.Reset(); // no change: nothing recorded
        breaker.SetMetricsOnly(true);
        breaker.Fail(4); // would have opened
        breaker.Succeed(5); // would have been rejected
        breaker.SetMetricsOnly(false);

        Assert.Equal(
            [
                "6 CallsRejected MetricsOnly 5 since 09:00:00 (metrics-only)",
                "7 StateChanged MetricsOnly->Closed ByHand",
            ],
            breaker.GetRecentEvents().Take(2).Select(Describe).Reverse());
        Assert.Equal(
            [
                "5 StateChanged Closed->Open FailureRatio break 30 s (metrics-only)",
                "4 StateChanged Closed->MetricsOnly ByHand",
                "3 StateChanged Isolated->Closed ByHand",
                "2 CallsRejected Isolated 2 since 09:00:00",
                "1 StateChanged Closed->Isolated ByHand",
            ],
            breaker.GetRecentEvents().Skip(2).Take(5).Select(Describe));
    }

    [Fact]
    public void Configuration_applied_says_what_changed_and_configuration_refused_says_why()
    {
        var registry = new CircuitBreakerRegistry(_time);
        registry.Configure("created-refused", static o => o.SlidingWindowSize = 5); // fewer calls than the minimum: refused at creation
        CircuitBreaker refused = registry.GetOrAdd("created-refused");
        CircuitBreaker payments = registry.GetOrAdd("payments");

        registry.Configure("payments", static o => (o.FailureRatio, o.BreakDuration) = (0.3, TimeSpan.FromSeconds(20)));
        registry.Configure("payments", static o => (o.FailureRatio, o.BreakDuration) = (0.3, TimeSpan.FromSeconds(20))); // same again
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Configure("payments", static o => o.FailureRatio = 2));
        Assert.Throws<InvalidOperationException>(() => registry.Configure("payments", static _ => throw new InvalidOperationException("the application's own code failed")));

        Assert.Equal(
            [
                "3 ConfigurationRejected the application's own code failed",
                "2 ConfigurationRejected Circuit breaker 'payments': FailureRatio must be greater than 0 and at most 1 (was 2). (Parameter 'FailureRatio')",
                "1 ConfigurationApplied FailureRatio 0.5 → 0.3; BreakDuration 60000 ms → 20000 ms",
            ],
            payments.GetRecentEvents().Select(Describe));
        Assert.Equal(0.3, payments.Options.FailureRatio);
        Assert.StartsWith("1 ConfigurationRejected Circuit breaker 'created-refused': SlidingWindowSize must be at least MinimumThroughput", Describe(refused.GetRecentEvents().Single()), StringComparison.Ordinal);
    }

    /// <summary>A valid change of each option, by name: every settable option of CircuitBreakerOptions must be here.</summary>
    public static TheoryData<string> Options => [.. OptionChangesByName.Keys];

    private static readonly Dictionary<string, Action<CircuitBreakerOptions>> OptionChangesByName = new()
    {
        [nameof(CircuitBreakerOptions.FailureRatio)] = static o => o.FailureRatio = 0.3,
        [nameof(CircuitBreakerOptions.MinimumThroughput)] = static o => o.MinimumThroughput = 8,
        [nameof(CircuitBreakerOptions.SlidingWindowSize)] = static o => o.SlidingWindowSize = 200,
        [nameof(CircuitBreakerOptions.SamplingDuration)] = static o => o.SamplingDuration = TimeSpan.FromSeconds(20),
        [nameof(CircuitBreakerOptions.ConsecutiveFailureThreshold)] = static o => o.ConsecutiveFailureThreshold = 7,
        [nameof(CircuitBreakerOptions.BreakDuration)] = static o => o.BreakDuration = TimeSpan.FromSeconds(20),
        [nameof(CircuitBreakerOptions.SuccessThreshold)] = static o => o.SuccessThreshold = 3,
        [nameof(CircuitBreakerOptions.Timeout)] = static o => o.Timeout = TimeSpan.FromSeconds(3),
        [nameof(CircuitBreakerOptions.SlowCallDuration)] = static o => o.SlowCallDuration = TimeSpan.FromSeconds(3),
        [nameof(CircuitBreakerOptions.SlowCallRatio)] = static o => o.SlowCallRatio = 0.5,
        [nameof(CircuitBreakerOptions.BreakDurationMultiplier)] = static o => o.BreakDurationMultiplier = 2,
        [nameof(CircuitBreakerOptions.MaxBreakDuration)] = static o => o.MaxBreakDuration = TimeSpan.FromMinutes(10),
        [nameof(CircuitBreakerOptions.MaxRetryAfter)] = static o => o.MaxRetryAfter = TimeSpan.FromMinutes(1),
        [nameof(CircuitBreakerOptions.MaxKeys)] = static o => o.MaxKeys = 10,
        [nameof(CircuitBreakerOptions.KeyIdleTimeout)] = static o => o.KeyIdleTimeout = TimeSpan.FromMinutes(1),
        [nameof(CircuitBreakerOptions.MetricsPerKey)] = static o => o.MetricsPerKey = true,
        [nameof(CircuitBreakerOptions.CountSlowCallsInFlight)] = static o => o.CountSlowCallsInFlight = true,
        [nameof(CircuitBreakerOptions.BreakJitterRatio)] = static o => o.BreakJitterRatio = 0.1,
        [nameof(CircuitBreakerOptions.BreakJitterSeed)] = static o => o.BreakJitterSeed = 42,
        [nameof(CircuitBreakerOptions.BreakDurationHook)] = static o => o.BreakDurationHook = static _ => null,
        [nameof(CircuitBreakerOptions.ShouldHandle)] = static o => o.ShouldHandle = static _ => true,
    };

    [Fact]
    public void Every_settable_option_has_a_change_the_history_must_describe()
    {
        string[] settable = typeof(CircuitBreakerOptions).GetProperties().Where(static p => p.CanWrite).Select(static p => p.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(settable, OptionChangesByName.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void Changing_any_one_option_is_recorded_with_its_name(string option)
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        CircuitBreakerOptions options = breaker.Options;
        OptionChangesByName[option](options);

        breaker.Reconfigure(options);

        CircuitBreakerEvent applied = Assert.Single(breaker.GetRecentEvents());
        Assert.Equal(CircuitBreakerEventKind.ConfigurationApplied, applied.Kind);
        Assert.StartsWith(option + " ", applied.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(";", applied.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verdicts_of_the_fleet_are_recorded_as_such()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        Assert.True(breaker.OpenFor(TimeSpan.FromSeconds(10)));
        Assert.True(breaker.CloseIfOpenedElsewhere());
        Assert.True(breaker.TryOpen(out _));

        Assert.Equal(
            ["3 StateChanged Closed->Open Fleet break 30 s", "2 StateChanged Open->Closed Fleet", "1 StateChanged Closed->Open Fleet break 10 s"],
            breaker.GetRecentEvents().Select(Describe));
    }

    [Fact]
    public void Ten_thousand_rejections_are_one_count_not_ten_thousand_events()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        breaker.Trip();
        Reject(breaker, 10_000);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.False(breaker.TryAcquire(rejectionUsesFallback: true).IsGranted);
        }

        IReadOnlyList<CircuitBreakerEvent> events = breaker.GetRecentEvents();
        Assert.Equal(["2 CallsRejected Open 20000 since 09:00:00 (ongoing)", "1 StateChanged Closed->Open FailureRatio break 30 s"], events.Select(Describe));
    }

    [Fact]
    public void Threads_racing_to_trip_and_to_probe_make_one_event_each()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time, o => (o.MinimumThroughput, o.SlidingWindowSize) = (4, 10));
        int raised = 0;
        breaker.StateChanged += (_, _) => Interlocked.Increment(ref raised);
        const int Threads = 8;

        RunTogether(Threads, () =>
        {
            for (int i = 0; i < 50; i++)
            {
                CircuitPermit permit = breaker.TryAcquire();
                if (permit.IsGranted)
                {
                    permit.RecordFailure(null);
                }
            }
        });
        _time.Advance(TimeSpan.FromSeconds(30));
        RunTogether(Threads, () => breaker.TryAcquire());

        string[] changes = breaker.GetRecentEvents().Where(static e => e.Kind == CircuitBreakerEventKind.StateChanged).Select(static e => $"{e.From}->{e.To}").ToArray();
        Assert.Equal(["Open->HalfOpen", "Closed->Open"], changes);
        Assert.Equal(2, raised);
    }

    [Fact]
    public async Task A_breaker_that_flaps_a_hundred_thousand_times_keeps_32_events_and_readers_never_see_one_half_written()
    {
        CircuitBreaker breaker = TestBreakers.Create(_time);
        const int Flaps = 50_000;
        using var done = new CancellationTokenSource();
        var problems = new List<string>();
        int reads = 0;
        var reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested || reads == 0)
            {
                IReadOnlyList<CircuitBreakerEvent> events = breaker.GetRecentEvents();
                reads++;
                string? problem = Check(events);
                if (problem is not null)
                {
                    lock (problems)
                    {
                        problems.Add(problem);
                    }
                }
            }
        });
        var rejecter = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                breaker.TryAcquire();
            }
        });

        for (int i = 0; i < Flaps && !reader.IsCompleted; i++)
        {
            breaker.Isolate();
            breaker.Reset();
        }

        done.Cancel();
        await Task.WhenAll(reader, rejecter).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(problems);
        IReadOnlyList<CircuitBreakerEvent> last = breaker.GetRecentEvents();
        Assert.InRange(last.Count, EventRingCapacity, EventRingCapacity + 1);
        Assert.InRange(last.Where(static e => !e.IsOngoing).Max(static e => e.Sequence), 2 * Flaps, 4 * Flaps);
    }

    private const int EventRingCapacity = 32;

    /// <summary>What a torn entry would break: sequence order, and the fields each kind must (not) have.</summary>
    private static string? Check(IReadOnlyList<CircuitBreakerEvent> events)
    {
        if (events.Count > EventRingCapacity + 1)
        {
            return $"{events.Count} events";
        }

        for (int i = 0; i < events.Count; i++)
        {
            CircuitBreakerEvent e = events[i];
            if (i > 0 && e.Sequence >= events[i - 1].Sequence && !events[i - 1].IsOngoing)
            {
                return $"sequence {e.Sequence} after {events[i - 1].Sequence}";
            }

            bool consistent = e.Kind switch
            {
                CircuitBreakerEventKind.StateChanged => e.Count == 0 && e.Reason == CircuitTransitionReason.ByHand
                    && ((e.From, e.To) is (CircuitState.Closed, CircuitState.Isolated) or (CircuitState.Isolated, CircuitState.Closed)),
                CircuitBreakerEventKind.CallsRejected => e.Count > 0 && e.To is null && e.Reason == CircuitTransitionReason.Unknown,
                _ => false,
            };
            if (!consistent)
            {
                return Describe(e);
            }
        }

        return null;
    }

    private static void Reject(CircuitBreaker breaker, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.False(breaker.TryAcquire().IsGranted);
        }
    }

    private static void RunTogether(int threads, Action action)
    {
        using var start = new Barrier(threads);
        Task[] tasks = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            action();
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(Task.WaitAll(tasks, TimeSpan.FromSeconds(60)));
    }

    private static string Describe(CircuitBreakerEvent e)
    {
        string text = e.Kind switch
        {
            CircuitBreakerEventKind.StateChanged => $"{e.Sequence} StateChanged {e.From}->{e.To} {e.Reason}"
                + (e.BreakDuration is TimeSpan b ? $" break {b.TotalSeconds} s" : string.Empty),
            CircuitBreakerEventKind.CallsRejected => $"{e.Sequence} CallsRejected {e.From} {e.Count}"
                + (e.Since is DateTimeOffset since ? $" since {since:HH:mm:ss}" : string.Empty),
            _ => $"{e.Sequence} {e.Kind} {e.Detail}",
        };
        return text + (e.IsMetricsOnly ? " (metrics-only)" : string.Empty) + (e.IsOngoing ? " (ongoing)" : string.Empty);
    }
}
