using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// Drives the real breaker and <see cref="ReferenceModel"/> with the same seeded random operations and compares what a
/// user can observe (state, every counter, the window, when to retry, the events) after every step.
/// </summary>
public sealed class ModelBasedTests
{
    private const int Sequences = 10_000;
    private const int StepsPerSequence = 150;

    [Fact]
    public void The_breaker_matches_the_reference_model_over_random_sequences()
    {
        for (int seed = 0; seed < Sequences; seed++)
        {
            RunSequence(seed);
        }
    }

    private static void RunSequence(int seed)
    {
        var random = new Random(seed);
        CircuitBreakerOptions options = RandomOptions(random);
        var time = new FakeTimeProvider();
        time.Advance(TimeSpan.FromTicks(random.Next(0, 1_000_000)));
        var breaker = new CircuitBreaker("model", options, time);
        var model = new ReferenceModel(options.Clone());
        int stateChangedEvents = 0;
        breaker.StateChanged += (_, _) => stateChangedEvents++;
        var pending = new List<(CircuitPermit Real, ReferenceModel.Permit Model)>();
        StringBuilder trace = new StringBuilder().Append(Describe(options)).AppendLine();

        for (int step = 0; step < StepsPerSequence; step++)
        {
            long now = time.GetTimestamp();
            int dice = random.Next(100);
            if (dice < 35)
            {
                CircuitPermit real = breaker.TryAcquire();
                ReferenceModel.Permit expected = model.Acquire(now);
                trace.AppendLine($"{step}: acquire -> {expected.Kind}");
                Check(seed, step, trace, expected.IsGranted, real.IsGranted, "permit granted");
                if (expected.IsGranted)
                {
                    pending.Add((real, expected));
                }
            }
            else if (dice < 72 && pending.Count > 0)
            {
                int index = random.Next(pending.Count);
                (CircuitPermit real, ReferenceModel.Permit expected) = pending[index];
                pending.RemoveAt(index);
                int outcome = random.Next(100);
                if (outcome < 50)
                {
                    trace.AppendLine($"{step}: success of {expected}");
                    real.RecordSuccess();
                    model.Succeed(expected, now);
                }
                else if (outcome < 85)
                {
                    trace.AppendLine($"{step}: failure of {expected}");
                    real.RecordFailure(null);
                    model.Fail(expected, now);
                }
                else
                {
                    trace.AppendLine($"{step}: ignored {expected}");
                    real.RecordIgnored();
                    model.Ignore(expected);
                }
            }
            else if (dice < 95)
            {
                TimeSpan by = RandomAdvance(random, options, breaker);
                trace.AppendLine($"{step}: advance {by.Ticks} ticks");
                time.Advance(by);
            }
            else
            {
                switch (random.Next(4))
                {
                    case 0:
                        trace.AppendLine($"{step}: Reset");
                        breaker.Reset();
                        model.Reset();
                        break;
                    case 1:
                        trace.AppendLine($"{step}: Isolate");
                        breaker.Isolate();
                        model.Isolate();
                        break;
                    default:
                        bool enabled = random.Next(2) == 0;
                        trace.AppendLine($"{step}: SetMetricsOnly({enabled})");
                        breaker.SetMetricsOnly(enabled);
                        model.SetMetricsOnly(enabled);
                        break;
                }
            }

            Compare(seed, step, trace, breaker, model, time.GetTimestamp(), () => stateChangedEvents);
        }
    }

    private static void Compare(int seed, int step, StringBuilder trace, CircuitBreaker breaker, ReferenceModel model, long now, Func<int> stateChangedEvents)
    {
        CircuitBreakerMetrics actual = breaker.GetMetrics();
        CircuitState expectedState = model.ReadState(now);
        (long calls, double failureRate, double slowCallRate) = model.Window(now);
        Check(seed, step, trace, expectedState, actual.State, "State");
        Check(seed, step, trace, expectedState, breaker.State, "State property");
        Check(seed, step, trace, model.AwaitingProbe(now), actual.AwaitingProbe, "AwaitingProbe");
        Check(seed, step, trace, model.Successes, actual.SuccessfulCalls, "SuccessfulCalls");
        Check(seed, step, trace, model.Failures, actual.FailedCalls, "FailedCalls");
        Check(seed, step, trace, model.Rejections, actual.RejectedCalls, "RejectedCalls");
        Check(seed, step, trace, model.Ignored, actual.IgnoredCalls, "IgnoredCalls");
        Check(seed, step, trace, model.SlowCalls, actual.SlowCalls, "SlowCalls");
        Check(seed, step, trace, model.Opens, actual.CircuitOpens, "CircuitOpens");
        Check(seed, step, trace, model.Closes, actual.CircuitCloses, "CircuitCloses");
        Check(seed, step, trace, model.Probes, actual.HalfOpenAttempts, "HalfOpenAttempts");
        Check(seed, step, trace, calls, actual.WindowCalls, "WindowCalls");
        Check(seed, step, trace, failureRate, actual.FailureRate, "FailureRate");
        Check(seed, step, trace, slowCallRate, actual.SlowCallRate, "SlowCallRate");
        Check(seed, step, trace, model.RetryAfter(expectedState, now), actual.RetryAfter, "RetryAfter");
        Check(seed, step, trace, model.StateChangedEvents, stateChangedEvents(), "StateChanged events");
    }

    private static void Check<T>(int seed, int step, StringBuilder trace, T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            Assert.Fail($"Seed {seed}, step {step}: {what} was {actual}, the model says {expected}.\n{trace}");
        }
    }

    private static CircuitBreakerOptions RandomOptions(Random random)
    {
        var options = new CircuitBreakerOptions
        {
            FailureRatio = Pick(random, 0.1, 0.25, 0.3, 0.5, 0.6, 1.0),
            SlowCallRatio = Pick(random, 0.2, 0.5, 1.0),
            SlowCallDuration = TimeSpan.FromMilliseconds(random.Next(1, 400)),
            ConsecutiveFailureThreshold = random.Next(3) == 0 ? random.Next(1, 5) : 0,
            BreakDuration = TimeSpan.FromMilliseconds(random.Next(1, 1000)),
            SuccessThreshold = random.Next(1, 5),
            BreakDurationMultiplier = Pick(random, 1.0, 1.5, 2.0, 3.0),
        };
        options.MaxBreakDuration = options.BreakDuration * random.Next(1, 10);
        if (random.Next(2) == 0)
        {
            options.SamplingDuration = TimeSpan.FromMilliseconds(random.Next(1, 2000));
            options.MinimumThroughput = random.Next(1, 8);
        }
        else
        {
            options.SlidingWindowSize = random.Next(1, 13);
            options.MinimumThroughput = random.Next(1, options.SlidingWindowSize + 1);
        }

        options.Validate();
        return options;
    }

    /// <summary>Mostly small steps, often exactly onto (or one tick short of) the end of the current break.</summary>
    private static TimeSpan RandomAdvance(Random random, CircuitBreakerOptions options, CircuitBreaker breaker)
    {
        TimeSpan? retryAfter = breaker.GetMetrics().RetryAfter;
        return random.Next(6) switch
        {
            0 when retryAfter is { } wait => wait,
            1 when retryAfter is { } wait && wait > TimeSpan.Zero => wait - TimeSpan.FromTicks(1),
            2 => TimeSpan.FromTicks(1),
            3 => options.BreakDuration * random.Next(1, 4),
            _ => TimeSpan.FromMilliseconds(random.Next(0, 300)),
        };
    }

    private static string Describe(CircuitBreakerOptions o) =>
        $"FailureRatio={o.FailureRatio} SlowCallRatio={o.SlowCallRatio} SlowCall={o.SlowCallDuration.TotalMilliseconds}ms " +
        $"Consecutive={o.ConsecutiveFailureThreshold} Break={o.BreakDuration.TotalMilliseconds}ms x{o.BreakDurationMultiplier} max {o.MaxBreakDuration.TotalMilliseconds}ms " +
        $"SuccessThreshold={o.SuccessThreshold} Sampling={o.SamplingDuration.TotalMilliseconds}ms Window={o.SlidingWindowSize} Min={o.MinimumThroughput}";

    private static T Pick<T>(Random random, params T[] values) => values[random.Next(values.Length)];
}
