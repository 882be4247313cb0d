using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Fleet;
using Breaker.Logging;
using Breaker.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Breaker;

/// <summary>
/// Makes the breakers of a registry act as one across every instance of the application, through Redis: instances share
/// their window counts, the fleet opens a breaker when enough instances see it fail, and one instance probes for all.
/// Calls never touch Redis; all exchanges run on a background loop, and without Redis each breaker acts on its own.
/// </summary>
public sealed class RedisFleetCoordinator : IAsyncDisposable, IFleetLink
{
    private readonly CircuitBreakerRegistry _registry;
    private readonly IConnectionMultiplexer _connection;
    private readonly RedisCoordinationOptions _options;
    private readonly ILogger _logger;
    private readonly FleetParticipation _participation;
    private readonly ConcurrentDictionary<string, BreakerParticipant> _participants = new(StringComparer.Ordinal);
    private readonly RedisExchange _exchange;
    private readonly Reachability _reachability;
    private readonly FleetSignals _signals;
    private readonly CoordinationLoop _loop;
    private readonly object _lifecycle = new();
    private CancellationTokenSource? _stopping;
    private Task? _running;
    private volatile bool _stopped;
    private int _leftOut;

    /// <summary>Creates a coordinator for <paramref name="registry"/>'s breakers; nothing happens until <see cref="Start"/>.</summary>
    /// <param name="registry">The breakers to coordinate (for generated code, <see cref="CircuitBreakerRegistry.Default"/>).</param>
    /// <param name="connection">The Redis connection; create it with <c>AbortOnConnectFail=false</c> so the application starts without Redis.</param>
    /// <param name="options">The prefix, the participating breakers, the timings and the signing key (copied and validated).</param>
    /// <param name="logger">Where openings, verdicts, refused records and losses of Redis are logged; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock the publish loop runs on; <see langword="null"/> for the registry's.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public RedisFleetCoordinator(
        CircuitBreakerRegistry registry,
        IConnectionMultiplexer connection,
        RedisCoordinationOptions options,
        ILogger<RedisFleetCoordinator>? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _registry = registry;
        _connection = connection;
        _options = options.Clone();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        TimeProvider time = timeProvider ?? registry.TimeProvider;
        _participation = new FleetParticipation(_options.Breakers, _options.MaxBreakers);
        RedisChannel channel = FleetKeys.Channel(_options.KeyPrefix);
        var signer = new RecordSigner(_options.SigningKey, _options.AcceptedSigningKeys);
        var untrusted = new UntrustedSources(_logger);
        _exchange = new RedisExchange(connection, _options.OperationTimeout);
        _reachability = new Reachability(_options.MissedPublishesBeforeLocal, _logger);
        var sync = new FleetStateSync(_exchange, signer, untrusted, _options, channel, time, _logger);
        var lease = new ProbeLeaseKeeper(_exchange, sync, _options, time, _logger);
        var round = new PublishRound(_exchange, _reachability, sync, lease, signer, untrusted, _options, RoundMark.NewSession(), time, _logger);
        _signals = new FleetSignals(_exchange, channel, signer, untrusted, _participants, this, sync, lease);
        _loop = new CoordinationLoop(_exchange, _reachability, _signals, round, _participants, _options.PublishInterval, time, _logger);
    }

    /// <summary>This instance's name in the fleet.</summary>
    public string InstanceId => _options.InstanceId;

    /// <summary>
    /// Whether the breakers currently coordinate with the fleet: the coordinator runs and Redis answered the last exchanges.
    /// When false, every breaker behaves as a local one (it opens and probes on its own) until Redis answers again.
    /// </summary>
    public bool IsCoordinating => !_stopped && _reachability.IsReachable;

    /// <summary>How many breakers take part now (at most <see cref="RedisCoordinationOptions.MaxBreakers"/>).</summary>
    public int Participants => _participants.Count;

    /// <summary>How many breakers meant to take part were left local because <see cref="RedisCoordinationOptions.MaxBreakers"/> were taking part already.</summary>
    public int LeftOut => Volatile.Read(ref _leftOut);

    /// <summary>
    /// Whether this instance runs without a signing key, not opted out with <see cref="RedisCoordinationOptions.AllowUnsigned"/>,
    /// and saw another instance at its last round: anyone who can write to Redis can then open its breakers (each for at most
    /// its own break). The health check reports it as Degraded.
    /// </summary>
    internal bool IsUnsignedFleet => _options.HoldsUnsignedBreaks && _participants.Values.Any(static p => p.SeesOthers);

    /// <summary>Completed publish rounds, reached Redis or not (for tests that step the loop's clock).</summary>
    internal long Ticks => _loop.Ticks;

    /// <summary>Starts coordinating: attaches to the registry's breakers (and those created later) and starts the background loop. Returns at once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        lock (_lifecycle)
        {
            if (_stopping is not null)
            {
                throw new InvalidOperationException("The coordinator was already started.");
            }

            _stopping = new CancellationTokenSource();
            _connection.ConnectionFailed += OnConnectionChanged;
            _connection.ConnectionRestored += OnConnectionChanged;
            _registry.BreakerAdded += OnBreakerAdded;
            _registry.BreakerRemoved += OnBreakerRemoved;
            foreach (CircuitBreaker breaker in _registry)
            {
                Attach(breaker);
            }

            CancellationToken token = _stopping.Token;
            _running = Task.Run(() => _loop.RunAsync(token), CancellationToken.None);
        }

        Log.Started(_logger, _options.InstanceId, _options.KeyPrefix);
        if (_options.HoldsUnsignedBreaks)
        {
            Log.Unsigned(_logger, _options.KeyPrefix);
        }
    }

    /// <summary>
    /// Stops coordinating: ends the loop, gives the breakers back their local behaviour, and removes this instance's counts
    /// and any probe lease from Redis (best effort, within the operation timeout). The breakers get their local behaviour
    /// back however the loop ended, and even when <paramref name="cancellationToken"/> cuts the wait for it short.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task? loop;
        CancellationTokenSource? stopping;
        lock (_lifecycle)
        {
            loop = _running;
            stopping = _stopping;
            _running = null;
            if (loop is not null)
            {
                // From here no breaker is attached any more, and the attached ones act locally (IsCoordinating is false).
                _stopped = true;
            }
        }

        if (loop is null || stopping is null)
        {
            return;
        }

        _registry.BreakerAdded -= OnBreakerAdded;
        _registry.BreakerRemoved -= OnBreakerRemoved;
        BreakerParticipant[] participants;
        try
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connection.ConnectionFailed -= OnConnectionChanged;
            _connection.ConnectionRestored -= OnConnectionChanged;
            participants = _participants.Values.ToArray();
            foreach (BreakerParticipant participant in participants)
            {
                participant.Breaker.StateChanged -= participant.OnStateChanged;
                if (ReferenceEquals(participant.Breaker.Coordinator, participant))
                {
                    participant.Breaker.Coordinator = null;
                }
            }
        }

        try
        {
            IDatabase db = _connection.GetDatabase();
            var work = new List<Task> { _signals.UnsubscribeAsync() };
            foreach (BreakerParticipant participant in participants)
            {
                work.Add(db.KeyDeleteAsync(participant.Keys.OwnCounts));
                work.Add(db.SetRemoveAsync(participant.Keys.Instances, _options.InstanceId));
                if (participant.HoldsLease)
                {
                    work.Add(FleetScripts.ReleaseLeaseAsync(db, participant.Keys.ProbeLease, _options.InstanceId));
                }
            }

            await _exchange.WaitAsync(Task.WhenAll(work), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Best effort: what is left expires by itself.
            Log.ExchangeFailed(_logger, ex);
        }

        stopping.Dispose();
        Log.Stopped(_logger, _options.InstanceId);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => new(StopAsync());

    void IFleetLink.Post(Signal signal) => _signals.Post(signal);

    private void OnBreakerAdded(object? sender, CircuitBreaker breaker) => Attach(breaker);

    /// <summary>Makes <paramref name="breaker"/> take part; under the lifecycle lock, so that none is attached once stopping began.</summary>
    private void Attach(CircuitBreaker breaker)
    {
        lock (_lifecycle)
        {
            if (_stopped || _participants.ContainsKey(breaker.Name) || !_participation.IsMeantToTakePart(breaker))
            {
                return;
            }

            if (!_participation.HasRoom(_participants.Count))
            {
                // Past the cap the breaker stays local: said once as a warning, then only at debug level.
                if (Interlocked.Increment(ref _leftOut) == 1)
                {
                    Log.TooManyBreakers(_logger, breaker.Name, _participation.Max);
                }
                else
                {
                    Log.LeftOutAgain(_logger, breaker.Name, _participation.Max);
                }

                return;
            }

            if (breaker.Coordinator is not null)
            {
                Log.AlreadyCoordinated(_logger, breaker.Name);
                return;
            }

            var participant = new BreakerParticipant(breaker, new FleetKeys(_options.KeyPrefix, breaker.Name, _options.InstanceId), this);
            if (_participants.TryAdd(breaker.Name, participant))
            {
                breaker.StateChanged += participant.OnStateChanged;
                breaker.Coordinator = participant;
            }
        }
    }

    /// <summary>
    /// Lets go of a breaker the registry dropped (a listed keyed group evicted one of its keys), so the participants stay as
    /// bounded as the group; what it published in Redis expires by itself.
    /// </summary>
    private void OnBreakerRemoved(object? sender, CircuitBreaker breaker)
    {
        lock (_lifecycle)
        {
            if (_participants.TryGetValue(breaker.Name, out BreakerParticipant? participant)
                && ReferenceEquals(participant.Breaker, breaker)
                && _participants.TryRemove(new KeyValuePair<string, BreakerParticipant>(breaker.Name, participant)))
            {
                breaker.StateChanged -= participant.OnStateChanged;
                if (ReferenceEquals(breaker.Coordinator, participant))
                {
                    breaker.Coordinator = null;
                }
            }
        }
    }

    private void OnConnectionChanged(object? sender, EventArgs e) => _reachability.ConnectionChanged(_connection.IsConnected);
}
