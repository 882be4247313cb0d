using System;

namespace Breaker.Samples.Console.Infrastructure;

/// <summary>A stand-in for a remote service: it fails when told to, or at random with a seeded generator, and counts what reaches it.</summary>
internal sealed class FlakyDependency(string name, Random random)
{
    public string Name { get; } = name;

    public int Received { get; private set; }

    /// <summary>The chance, from 0 to 1, that a call fails.</summary>
    public double FailureRate { get; set; }

    public string Call(int request)
    {
        Received++;
        if (random.NextDouble() < FailureRate)
        {
            throw new InvalidOperationException($"{Name} failed request #{request}");
        }

        return $"{Name} answered request #{request}";
    }
}
