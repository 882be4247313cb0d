using System;

namespace Breaker;

/// <summary>Describes run-time configuration that a new breaker could not take: it started with its code's options instead.</summary>
public sealed class ConfigurationRejectedEventArgs : EventArgs
{
    internal ConfigurationRejectedEventArgs(string breakerName, ArgumentOutOfRangeException error)
    {
        BreakerName = breakerName;
        Error = error;
    }

    /// <summary>The breaker whose configuration was set aside.</summary>
    public string BreakerName { get; }

    /// <summary>Why: the option and the rule it broke.</summary>
    public ArgumentOutOfRangeException Error { get; }
}
