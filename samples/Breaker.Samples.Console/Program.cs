using System;
using System.Globalization;
using Breaker;
using Breaker.Samples;
using Breaker.Samples.Console;

// Breaker's demo, end to end. `--seed N` makes every random choice repeatable.
int seed = ParseSeed(args);
var clock = new SampleClock();

// Generated code and AddCircuitBreaker take their breakers from the default registry: give it the demo's clock before
// any breaker exists, so a 30-second break passes at once and every run is the same.
CircuitBreakerRegistry registry = CircuitBreakerRegistry.Default;
registry.TimeProvider = clock;
var random = new Random(seed);
System.Console.OutputEncoding = System.Text.Encoding.UTF8;
System.Console.WriteLine($"Breaker demo (seed {seed})");

var runtime = new RuntimeDemo(registry, clock, random);
runtime.CustomConfiguration();
runtime.SuccessfulCalls();
runtime.FailuresTripTheBreaker();
runtime.Protection();
runtime.RecoveryAfterTheBreak();
runtime.HalfOpenRecovery();
new GeneratedCodeDemo(clock, random).DecoratedServiceWithFallback();
new KeyedDemo(clock).OneTenantFails();
new DecoratorDemo(clock).InterfaceYouDoNotOwn();
await new HttpDemo(clock).HttpClientWithABreakerAsync();
await new HttpDemo(clock).RetryAfterFromTheServerAsync();
runtime.RegistrySummary();
runtime.ListenerAndReset();
runtime.FinalMetrics();
return 0;

static int ParseSeed(string[] args)
{
    int index = Array.IndexOf(args, "--seed");
    if (index < 0)
    {
        return 42;
    }

    if (index + 1 < args.Length && int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed))
    {
        return seed;
    }

    System.Console.Error.WriteLine("usage: Breaker.Samples.Console [--seed N]");
    Environment.Exit(2);
    return 0;
}
