using System;
using Breaker.Fleet;
using Breaker.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Redis.Tests;

/// <summary>
/// When a breaker's window holds outcomes from before a fleet break, its instance reports nothing to the fleet until the
/// window holds only newer ones: at its next close (a close empties the window), or once it measured a window's worth.
/// </summary>
public sealed class FreshWindowTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_breaker_that_stayed_closed_through_a_break_reports_again_once_it_measured_as_many_outcomes_as_its_window_holds()
    {
        (CircuitBreaker breaker, BreakerParticipant participant) = Create();
        Calls(breaker, 9, fail: true);

        // The fleet's break reached it already over (it was away): its breaker stayed closed, its window is old evidence.
        participant.MarkWindowStale(breaker.GetMetrics());
        Assert.False(participant.IsWindowFresh(breaker.GetMetrics()));

        Calls(breaker, 10, fail: false);
        Assert.Equal(19, breaker.GetMetrics().WindowCalls);
        Assert.False(participant.IsWindowFresh(breaker.GetMetrics()));

        // A window of 20 that has seen 20 outcomes since holds none from before.
        Calls(breaker, 10, fail: false);
        Assert.Equal(20, breaker.GetMetrics().WindowCalls);
        Assert.True(participant.IsWindowFresh(breaker.GetMetrics()));
    }

    [Fact]
    public void A_close_empties_the_window_so_it_is_fresh_at_once()
    {
        (CircuitBreaker breaker, BreakerParticipant participant) = Create();
        Calls(breaker, 9, fail: true);
        participant.MarkWindowStale(breaker.GetMetrics());
        breaker.OpenFor(TimeSpan.FromSeconds(30));

        Assert.True(breaker.CloseIfOpenedElsewhere());

        Assert.True(participant.IsWindowFresh(breaker.GetMetrics()));
        Assert.Equal(0, breaker.GetMetrics().WindowCalls);
    }

    private (CircuitBreaker Breaker, BreakerParticipant Participant) Create()
    {
        var breaker = new CircuitBreaker("quotes", new CircuitBreakerOptions { FailureRatio = 1.0, MinimumThroughput = 10, SlidingWindowSize = 20 }, _time);
        var participant = new BreakerParticipant(breaker, new FleetKeys("app", "quotes", "web-1"), new NoFleet());
        breaker.StateChanged += participant.OnStateChanged;
        breaker.Coordinator = participant;
        return (breaker, participant);
    }

    private static void Calls(CircuitBreaker breaker, int count, bool fail)
    {
        for (int i = 0; i < count; i++)
        {
            CircuitPermit permit = breaker.TryAcquire();
            Assert.True(permit.IsGranted);
            if (fail)
            {
                permit.RecordFailure(new InvalidOperationException("down"));
            }
            else
            {
                permit.RecordSuccess();
            }
        }
    }

    private sealed class NoFleet : IFleetLink
    {
        public string InstanceId => "web-1";

        public bool IsCoordinating => false;

        public void Post(Signal signal)
        {
        }
    }
}
