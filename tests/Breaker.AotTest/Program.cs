using System;
using Breaker;

// Exercises the runtime once compiled ahead of time: a breaker opens, rejects, half-opens and closes.
var clock = new ManualClock();
var breaker = new CircuitBreaker("aot", new CircuitBreakerOptions { MinimumThroughput = 2, SlidingWindowSize = 2, SuccessThreshold = 1 }, clock);
for (int i = 0; i < 2; i++)
{
    try
    {
        breaker.Execute(static () => throw new InvalidOperationException("down"));
    }
    catch (InvalidOperationException)
    {
    }
}

bool rejected = false;
try
{
    breaker.Execute(static () => 1);
}
catch (BrokenCircuitException)
{
    rejected = true;
}

clock.Advance(breaker.Options.BreakDuration);
int answer = breaker.Execute(static () => 42);
string result = $"state={breaker.State} rejected={rejected} answer={answer} opens={breaker.GetMetrics().CircuitOpens}";
Console.WriteLine(result);
return result == "state=Closed rejected=True answer=42 opens=1" ? 0 : 1;

internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UnixEpoch;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => _now += by;
}
