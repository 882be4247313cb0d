using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Breaker;

/// <summary>A snapshot of every breaker in a registry: their metrics, sorted by name, and how many are in each state.</summary>
public sealed class CircuitBreakerRegistrySummary
{
    internal CircuitBreakerRegistrySummary(IReadOnlyList<CircuitBreakerMetrics> breakers)
    {
        Breakers = breakers;
        CountsByState = Enum.GetValues<CircuitState>().ToDictionary(s => s, s => breakers.Count(b => b.State == s));
    }

    /// <summary>Each breaker's metrics, sorted by name.</summary>
    public IReadOnlyList<CircuitBreakerMetrics> Breakers { get; }

    /// <summary>How many breakers are in each state (every state is present, possibly with 0).</summary>
    public IReadOnlyDictionary<CircuitState, int> CountsByState { get; }

    /// <summary>How many breakers the registry holds.</summary>
    public int Total => Breakers.Count;

    /// <summary>True when every breaker is closed (or metrics-only), so nothing is being rejected.</summary>
    public bool AllClosed => Breakers.All(static b => b.State is CircuitState.Closed or CircuitState.MetricsOnly);

    /// <summary>Draws the summary as a tree: one branch per breaker with its state and counts.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Circuit breakers ({Total})");
        foreach (KeyValuePair<CircuitState, int> pair in CountsByState.Where(static p => p.Value > 0))
        {
            text.Append(CultureInfo.InvariantCulture, $" · {pair.Key} {pair.Value}");
        }

        text.AppendLine();
        for (int i = 0; i < Breakers.Count; i++)
        {
            CircuitBreakerMetrics m = Breakers[i];
            bool last = i == Breakers.Count - 1;
            string branch = last ? "└─ " : "├─ ";
            string stem = last ? "   " : "│  ";
            text.Append(branch).Append(m.Name).Append(" [").Append(m.State).AppendLine("]");
            text.Append(stem).Append(CultureInfo.InvariantCulture, $"├─ calls {m.TotalCalls}: {m.SuccessfulCalls} ok, {m.FailedCalls} failed, {m.RejectedCalls} rejected, {m.FallbackCalls} fallbacks").AppendLine();
            text.Append(stem).Append(CultureInfo.InvariantCulture, $"└─ window {m.WindowCalls} calls, failure rate {m.FailureRate * 100:0.0}%, opened {m.CircuitOpens}×, average {m.AverageDuration.TotalMilliseconds:0.###} ms").AppendLine();
        }

        return text.ToString();
    }
}
