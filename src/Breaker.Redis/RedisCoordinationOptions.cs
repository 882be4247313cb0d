using System;
using System.Collections.Generic;

namespace Breaker;

/// <summary>
/// How the instances of an application share their circuit breakers through Redis. Only <see cref="KeyPrefix"/> is
/// required; the defaults suit a fleet whose breakers break for tens of seconds.
/// </summary>
public sealed class RedisCoordinationOptions
{
    /// <summary>
    /// The application's key prefix, for example <c>"checkout"</c>: every key and the pub/sub channel start with it, so
    /// applications sharing a Redis never see each other's breakers. Instances of one application must use the same prefix.
    /// </summary>
    public string KeyPrefix { get; set; } = string.Empty;

    /// <summary>This instance's name in the fleet (unique per process); the default combines the machine name, the process id and a random suffix.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The breakers that take part, by name. Empty (the default) means every breaker of the registry, including those created later.</summary>
    public IList<string> Breakers { get; } = new List<string>();

    /// <summary>How often this instance publishes its window counts and reads the fleet's (default 1 s). Openings travel faster, by pub/sub.</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After this many publish intervals without reaching Redis (default 3), the breakers fall back to local-only behaviour;
    /// it is also how long an instance's counts live in Redis, so a dead instance drops out of the fleet by itself.
    /// </summary>
    public int MissedPublishesBeforeLocal { get; set; } = 3;

    /// <summary>
    /// How many distinct instances must each see a breaker's failure (or slow-call) ratio crossed before the fleet opens it
    /// (default 2). An instance failing alone opens only its own breaker.
    /// </summary>
    public int MinimumInstances { get; set; } = 2;

    /// <summary>
    /// How long the instance probing for the fleet holds its lease without renewing it (default 5 s): if it dies, another
    /// instance may probe that much later. The holder renews it every publish interval while it probes.
    /// </summary>
    public TimeSpan ProbeLeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest any one exchange with Redis may take (default 500 ms); a slower one counts as a missed publish.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Checks the options, throwing <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>) that names the one at fault.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            throw new ArgumentException("A key prefix naming the application is required.", nameof(KeyPrefix));
        }

        if (string.IsNullOrWhiteSpace(InstanceId) || InstanceId.Contains('|', StringComparison.Ordinal))
        {
            throw new ArgumentException("The instance id must be non-empty and must not contain '|'.", nameof(InstanceId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PublishInterval, TimeSpan.Zero, nameof(PublishInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MissedPublishesBeforeLocal, 1, nameof(MissedPublishesBeforeLocal));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumInstances, 1, nameof(MinimumInstances));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ProbeLeaseDuration, PublishInterval, nameof(ProbeLeaseDuration));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(OperationTimeout, TimeSpan.Zero, nameof(OperationTimeout));
        foreach (string name in Breakers)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A breaker name is empty.", nameof(Breakers));
            }
        }
    }

    /// <summary>The time after which an instance that could not publish is considered gone (and goes local itself).</summary>
    internal TimeSpan LocalFallbackAfter => PublishInterval * MissedPublishesBeforeLocal;

    internal RedisCoordinationOptions Clone()
    {
        var copy = new RedisCoordinationOptions
        {
            KeyPrefix = KeyPrefix,
            InstanceId = InstanceId,
            PublishInterval = PublishInterval,
            MissedPublishesBeforeLocal = MissedPublishesBeforeLocal,
            MinimumInstances = MinimumInstances,
            ProbeLeaseDuration = ProbeLeaseDuration,
            OperationTimeout = OperationTimeout,
        };
        foreach (string name in Breakers)
        {
            copy.Breakers.Add(name);
        }

        return copy;
    }
}
