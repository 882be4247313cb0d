using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Polly;

namespace Breaker.Benchmarks;

/// <summary>
/// <c>--weights</c>: what one breaker weighs, as the managed heap after a full collection grows per breaker. 10,000 breakers
/// (and 100,000 keys of one keyed group) are made and used 20 times each, then read the way an observer reads them (their
/// percentiles through <see cref="CircuitBreaker.GetMetrics"/>, then their events through
/// <see cref="CircuitBreaker.GetRecentEvents"/>), next to 10,000 Polly v8 circuit-breaker pipelines with the same settings.
/// The table is printed at the machine's processor count, then again from a copy of this process started with
/// <c>DOTNET_PROCESSOR_COUNT=64</c>, since a breaker must not grow with the processor count.
/// Heap sizes do not depend on how busy the machine is: unlike times, these figures hold on a loaded machine.
/// </summary>
internal static class WeightMeasurement
{
    private const int Breakers = 10_000;
    private const int Keys = 100_000;
    private const int CallsEach = 20;
    private const string HereOnly = "--weights-here";

    public static void Run(string[] args)
    {
        Print();
        if (args.Contains(HereOnly) || Environment.ProcessPath is not { } self)
        {
            return;
        }

        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        start.ArgumentList.Add("--weights");
        start.ArgumentList.Add(HereOnly);
        start.Environment["DOTNET_PROCESSOR_COUNT"] = "64";
        using Process child = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + self);
        child.WaitForExit();
    }

    private static void Print()
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Heap after a full collection, bytes each; {Environment.ProcessorCount} processors (Environment.ProcessorCount), {CallsEach} calls each"));
        Console.WriteLine("| | after 20 calls | + percentiles read | + events read | + opened and closed once |");
        Console.WriteLine("|---|---:|---:|---:|---:|");

        // Polly first, so that nothing made for the other rows is still being collected while it is measured.
        long pollyBefore = Heap();
        var pipelines = new ResiliencePipeline<int>[Breakers];
        for (int i = 0; i < pipelines.Length; i++)
        {
            pipelines[i] = BenchmarkSettings.PollyPipeline();
            for (int call = 0; call < CallsEach; call++)
            {
                pipelines[i].Execute(static value => value, call);
            }
        }

        long polly = (Heap() - pollyBefore) / Breakers;
        GC.KeepAlive(pipelines);

        long time = Row("Breaker, 30 s time window", Breakers, static i => new CircuitBreaker("weights-time-" + i.ToString(CultureInfo.InvariantCulture), BenchmarkSettings.BreakerOptions()));
        long count = Row("Breaker, 100-call count window (the default)", Breakers, static i => new CircuitBreaker("weights-count-" + i.ToString(CultureInfo.InvariantCulture), CountOptions()));

        CircuitBreakerKeys<int> keys = new CircuitBreakerRegistry().GetOrAddGroup<int>("weights-keys", static o =>
        {
            CircuitBreakerOptions time = BenchmarkSettings.BreakerOptions();
            (o.FailureRatio, o.MinimumThroughput, o.SamplingDuration, o.BreakDuration) = (time.FailureRatio, time.MinimumThroughput, time.SamplingDuration, time.BreakDuration);
            o.MaxKeys = Keys;
        });
        long groupTotal = Row($"Breaker, one key of a {Keys:N0}-key group (time window)", Keys, keys.GetBreaker);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Polly v8 pipeline, 30 s sampling | {polly:N0} | | | |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Keys:N0} keys of one group: {groupTotal / 1024.0 / 1024.0:F1} MiB"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Targets: every Breaker row after 20 calls at most 1,024 B: {Met(Math.Max(time / Breakers, Math.Max(count / Breakers, groupTotal / Keys)) <= 1024)}; time window at most half of Polly's ({polly / 2:N0} B): {Met(time / Breakers <= polly / 2)}; {Keys:N0} keys within 128 MiB: {Met(groupTotal <= 128L << 20)}"));
    }

    /// <summary>Makes <paramref name="count"/> breakers, calls each 20 times, reads them, and prints the heap per breaker at each step; returns the total after the calls.</summary>
    private static long Row(string what, int count, Func<int, CircuitBreaker> make)
    {
        var breakers = new CircuitBreaker[count];
        long before = Heap();
        for (int i = 0; i < count; i++)
        {
            CircuitBreaker breaker = breakers[i] = make(i);
            for (int call = 0; call < CallsEach; call++)
            {
                breaker.Execute(static () => 1);
            }
        }

        long used = Heap() - before;
        foreach (CircuitBreaker breaker in breakers)
        {
            _ = breaker.GetMetrics();
        }

        long percentiles = Heap() - before;
        foreach (CircuitBreaker breaker in breakers)
        {
            _ = breaker.GetRecentEvents();
        }

        long events = Heap() - before;

        // A break by hand, ended at once, and the probes that close the circuit: the break state and a history of three events.
        foreach (CircuitBreaker breaker in breakers)
        {
            breaker.StartBreak();
            breaker.EndBreak();
            while (breaker.State != CircuitState.Closed)
            {
                breaker.Execute(static () => 1);
            }
        }

        long recovered = Heap() - before;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {used / count:N0} | {percentiles / count:N0} | {events / count:N0} | {recovered / count:N0} |"));
        GC.KeepAlive(breakers);
        return used;
    }

    private static string Met(bool met) => met ? "yes" : "NO";

    private static CircuitBreakerOptions CountOptions()
    {
        CircuitBreakerOptions options = BenchmarkSettings.BreakerOptions();
        options.SamplingDuration = TimeSpan.Zero;
        return options;
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
