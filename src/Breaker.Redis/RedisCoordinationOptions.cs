using System;
using System.Collections.Generic;
using System.Text;
using Breaker.Protocol;

namespace Breaker;

/// <summary>
/// How the instances of an application share their circuit breakers through Redis. Only <see cref="KeyPrefix"/> is
/// required; the defaults suit a fleet whose breakers break for tens of seconds. Bindable from configuration
/// (<c>AddRedisCoordination(..., configuration.GetSection("BreakerFleet"))</c>).
/// </summary>
public sealed class RedisCoordinationOptions
{
    /// <summary>The shortest signing key accepted, in characters (32 random characters carry well over 128 bits).</summary>
    public const int MinimumSigningKeyLength = 32;

    /// <summary>
    /// The application's key prefix, for example <c>"checkout"</c>: every key and the pub/sub channel start with it, so
    /// applications sharing a Redis never see each other's breakers. Instances of one application must use the same prefix.
    /// </summary>
    public string KeyPrefix { get; set; } = string.Empty;

    /// <summary>
    /// This instance's name in the fleet (unique per process): printable ASCII without spaces or <c>|</c>, at most 128
    /// characters. The default combines the machine name, the process id and a random suffix.
    /// </summary>
    public string InstanceId { get; set; } = DefaultInstanceId();

    /// <summary>
    /// The breakers that take part, by name, or by group for keyed breakers (<see cref="CircuitBreaker.Group"/>, such as
    /// the per-host breakers of an HTTP client). Empty (the default) means every breaker that is not keyed, including those
    /// created later; keyed breakers take part only when listed.
    /// </summary>
    public IList<string> Breakers { get; } = new List<string>();

    /// <summary>
    /// The most breakers that take part (default 100). Each costs a few Redis commands per instance and interval; the ones
    /// beyond the cap stay local, and a warning says so once.
    /// </summary>
    public int MaxBreakers { get; set; } = 100;

    /// <summary>How often this instance publishes its window counts and reads the fleet's (default 1 s, at most 1 min). Changes travel faster, by pub/sub.</summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After this many publish intervals without reaching Redis (default 3, at most 100), the breakers fall back to local-only behaviour;
    /// it is also how long an instance's counts live in Redis, so a dead instance drops out of the fleet by itself.
    /// </summary>
    public int MissedPublishesBeforeLocal { get; set; } = 3;

    /// <summary>
    /// How many distinct instances must each see a breaker's failure (or slow-call) ratio crossed before the fleet opens it
    /// (default 2, at most 1000). An instance failing alone opens only its own breaker.
    /// </summary>
    public int MinimumInstances { get; set; } = 2;

    /// <summary>
    /// How long the instance probing for the fleet holds its lease without renewing it (default 5 s, more than the publish
    /// interval and at most 10 min): if it dies, another instance may probe that much later. The holder renews it every
    /// publish interval while it probes.
    /// </summary>
    public TimeSpan ProbeLeaseDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest any one exchange with Redis may take (default 500 ms, at most 1 min); a slower one counts as a missed publish.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A secret shared by the fleet's instances (at least <see cref="MinimumSigningKeyLength"/> characters, for example
    /// <c>openssl rand -base64 32</c>): when set, every record and announcement carries an HMAC-SHA256 tag made with it,
    /// and those without a valid tag are ignored (and logged once per source). <see langword="null"/> (the default): off.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// Keys whose tags are accepted besides <see cref="SigningKey"/>'s, to rotate the key without stopping the fleet: first
    /// add the new key here on every instance, then make it the signing key (the old one listed here), then drop the old one.
    /// </summary>
    public IList<string> AcceptedSigningKeys { get; } = new List<string>();

    /// <summary>
    /// Runs the fleet without a <see cref="SigningKey"/> on purpose (default false): no warning at start, a Healthy health
    /// check, and breaks taken from the fleet held only to each breaker's <see cref="CircuitBreakerOptions.LongestBreak"/>.
    /// Left false, an unsigned coordinator warns at start, reports Degraded once it sees another instance, and holds every
    /// break it takes from the fleet to the breaker's own <see cref="CircuitBreakerOptions.BreakDuration"/>, so that anyone
    /// who can write to Redis can at most repeat an ordinary break. Ignored when a signing key is set.
    /// </summary>
    public bool AllowUnsigned { get; set; }

    /// <summary>What went wrong binding these options from configuration, reported by <see cref="Validate"/> with the rest.</summary>
    internal string? ConfigurationError { get; set; }

    /// <summary>The time after which an instance that could not publish is considered gone (and goes local itself).</summary>
    internal TimeSpan LocalFallbackAfter => TimeSpan.FromTicks(PublishInterval.Ticks * MissedPublishesBeforeLocal);

    /// <summary>Whether records are unsigned and the user did not opt out: breaks from the fleet are held to the breaker's own break.</summary>
    internal bool HoldsUnsignedBreaks => SigningKey is null && !AllowUnsigned;

    /// <summary>How long a fleet break's record outlives the break, while one instance probes for all.</summary>
    internal TimeSpan BreakGrace => ProbeLeaseDuration + ProbeLeaseDuration;

    /// <summary>Checks the options, throwing <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>) that names the one at fault.</summary>
    public void Validate()
    {
        if (ConfigurationError is not null)
        {
            throw new ArgumentException(ConfigurationError, "configuration");
        }

        if (string.IsNullOrWhiteSpace(KeyPrefix) || KeyPrefix.Length > 128 || KeyPrefix.AsSpan().ContainsAnyInRange('\0', ' '))
        {
            throw new ArgumentException("A key prefix naming the application is required: at most 128 characters, no spaces or control characters.", nameof(KeyPrefix));
        }

        if (!FleetLimits.IsValidInstanceId(InstanceId))
        {
            throw new ArgumentException(
                $"The instance id must be 1 to {FleetLimits.MaxInstanceIdLength} printable ASCII characters without spaces or '|'.",
                nameof(InstanceId));
        }

        RequireBetween(PublishInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), nameof(PublishInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MissedPublishesBeforeLocal, 1, nameof(MissedPublishesBeforeLocal));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MissedPublishesBeforeLocal, 100, nameof(MissedPublishesBeforeLocal));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumInstances, 1, nameof(MinimumInstances));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinimumInstances, FleetLimits.MaxInstances, nameof(MinimumInstances));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ProbeLeaseDuration, PublishInterval, nameof(ProbeLeaseDuration));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ProbeLeaseDuration, TimeSpan.FromMinutes(10), nameof(ProbeLeaseDuration));
        RequireBetween(OperationTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1), nameof(OperationTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBreakers, 1, nameof(MaxBreakers));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBreakers, 10_000, nameof(MaxBreakers));
        foreach (string name in Breakers)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A breaker name is empty.", nameof(Breakers));
            }
        }

        if (SigningKey is not null && SigningKey.Length < MinimumSigningKeyLength)
        {
            throw new ArgumentException($"The signing key must have at least {MinimumSigningKeyLength} characters.", nameof(SigningKey));
        }

        foreach (string key in AcceptedSigningKeys)
        {
            if (key is null || key.Length < MinimumSigningKeyLength)
            {
                throw new ArgumentException($"Every accepted signing key must have at least {MinimumSigningKeyLength} characters.", nameof(AcceptedSigningKeys));
            }
        }

        if (SigningKey is null && AcceptedSigningKeys.Count > 0)
        {
            throw new ArgumentException("Accepted signing keys need a signing key: without one nothing is verified.", nameof(AcceptedSigningKeys));
        }
    }

    internal RedisCoordinationOptions Clone()
    {
        var copy = new RedisCoordinationOptions
        {
            KeyPrefix = KeyPrefix,
            InstanceId = InstanceId,
            MaxBreakers = MaxBreakers,
            PublishInterval = PublishInterval,
            MissedPublishesBeforeLocal = MissedPublishesBeforeLocal,
            MinimumInstances = MinimumInstances,
            ProbeLeaseDuration = ProbeLeaseDuration,
            OperationTimeout = OperationTimeout,
            SigningKey = SigningKey,
            AllowUnsigned = AllowUnsigned,
            ConfigurationError = ConfigurationError,
        };
        foreach (string name in Breakers)
        {
            copy.Breakers.Add(name);
        }

        foreach (string key in AcceptedSigningKeys)
        {
            copy.AcceptedSigningKeys.Add(key);
        }

        return copy;
    }

    /// <summary>The machine name (what of it is printable ASCII, at most 64 characters), the process id and a random suffix.</summary>
    private static string DefaultInstanceId()
    {
        string machine = Environment.MachineName;
        var name = new StringBuilder(Math.Min(machine.Length, 64));
        foreach (char c in machine.AsSpan(0, Math.Min(machine.Length, 64)))
        {
            name.Append(c is > ' ' and <= '~' and not '|' ? c : '-');
        }

        return $"{name}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
    }

    private static void RequireBetween(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, max, name);
    }
}
