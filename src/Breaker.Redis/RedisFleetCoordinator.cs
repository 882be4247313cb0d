using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Channels;
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
    private readonly TimeProvider _time;
    private readonly HashSet<string> _names;
    private readonly RedisChannel _channel;
    private readonly ConcurrentDictionary<string, BreakerParticipant> _participants = new(StringComparer.Ordinal);
    private readonly Channel<Signal> _inbox = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<RedisChannel, RedisValue> _onAnnouncement;
    private readonly object _lifecycle = new();
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private bool _subscribed;
    private volatile bool _stopped;
    private bool? _wasCoordinating;
    private readonly object _reachabilityLock = new();
    private volatile bool _connected = true;
    private volatile bool _contacted;
    private int _missedTicks;
    private long _ticks;

    /// <summary>Creates a coordinator for <paramref name="registry"/>'s breakers; nothing happens until <see cref="Start"/>.</summary>
    /// <param name="registry">The breakers to coordinate (for generated code, <see cref="CircuitBreakerRegistry.Default"/>).</param>
    /// <param name="connection">The Redis connection; create it with <c>AbortOnConnectFail=false</c> so the application starts without Redis.</param>
    /// <param name="options">The prefix, the participating breakers and the timings (copied and validated).</param>
    /// <param name="logger">Where openings, verdicts and losses of Redis are logged; <see langword="null"/> for none.</param>
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
        _time = timeProvider ?? registry.TimeProvider;
        _names = new HashSet<string>(_options.Breakers, StringComparer.Ordinal);
        _channel = RedisChannel.Literal(_options.KeyPrefix + ":breaker-events");
        _onAnnouncement = OnAnnouncement;
    }

    /// <summary>This instance's name in the fleet.</summary>
    public string InstanceId => _options.InstanceId;

    /// <summary>
    /// Whether the breakers currently coordinate with the fleet: the coordinator runs and Redis answered the last exchanges.
    /// When false, every breaker behaves as a local one (it opens and probes on its own) until Redis answers again.
    /// </summary>
    public bool IsCoordinating => !_stopped && Reachable;

    /// <summary>Whether Redis answered the last exchanges, whether or not the coordinator is stopping.</summary>
    private bool Reachable => _connected && _contacted && Volatile.Read(ref _missedTicks) < _options.MissedPublishesBeforeLocal;

    /// <summary>Completed publish rounds, reached Redis or not (for tests that step the loop's clock).</summary>
    internal long Ticks => Interlocked.Read(ref _ticks);

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
            foreach (CircuitBreaker breaker in _registry)
            {
                Attach(breaker);
            }

            CancellationToken token = _stopping.Token;
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }

        Log.Started(_logger, _options.InstanceId, _options.KeyPrefix);
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
            loop = _loop;
            stopping = _stopping;
            _loop = null;
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
            var work = new List<Task> { _connection.GetSubscriber().UnsubscribeAsync(_channel, _onAnnouncement) };
            foreach (BreakerParticipant participant in participants)
            {
                work.Add(db.KeyDeleteAsync(participant.Keys.OwnCounts));
                work.Add(db.SetRemoveAsync(participant.Keys.Instances, _options.InstanceId));
                if (participant.HoldsLease)
                {
                    work.Add(db.LockReleaseAsync(participant.Keys.ProbeLease, _options.InstanceId));
                }
            }

            await ExchangeAsync(Task.WhenAll(work), cancellationToken).ConfigureAwait(false);
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

    void IFleetLink.Post(Signal signal) => _inbox.Writer.TryWrite(signal);

    private static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static TimeSpan AtLeastOneMs(TimeSpan span) => span < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : span;

    private void OnBreakerAdded(object? sender, CircuitBreaker breaker) => Attach(breaker);

    /// <summary>Makes <paramref name="breaker"/> take part; under the lifecycle lock, so that none is attached once stopping began.</summary>
    private void Attach(CircuitBreaker breaker)
    {
        lock (_lifecycle)
        {
            if (_stopped || (_names.Count > 0 && !_names.Contains(breaker.Name)) || _participants.ContainsKey(breaker.Name))
            {
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

    private void OnConnectionChanged(object? sender, EventArgs e)
    {
        _connected = _connection.IsConnected;

        // Say so as soon as the connection says so, not at the next round.
        ReportReachability();
    }

    private void OnAnnouncement(RedisChannel channel, RedisValue value)
    {
        if (FleetMessage.TryParse(value, out FleetMessage message)
            && message.InstanceId != _options.InstanceId
            && _participants.TryGetValue(message.BreakerName, out BreakerParticipant? participant))
        {
            _inbox.Writer.TryWrite(new Signal(SignalKind.Announcement, participant, message));
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.PublishInterval, _time);
        Task<bool>? tick = Task.FromResult(true);
        Task<bool>? signal = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                tick ??= timer.WaitForNextTickAsync(stopping).AsTask();
                signal ??= _inbox.Reader.WaitToReadAsync(stopping).AsTask();
                await Task.WhenAny(tick, signal).ConfigureAwait(false);
                stopping.ThrowIfCancellationRequested();
                if (signal.IsCompleted)
                {
                    signal = null;
                    while (_inbox.Reader.TryRead(out Signal? next))
                    {
                        await GuardAsync(HandleAsync(next, stopping), stopping).ConfigureAwait(false);
                    }
                }

                if (tick.IsCompleted)
                {
                    tick = null;
                    if (_connection.IsConnected)
                    {
                        await GuardAsync(TickAsync(stopping), stopping).ConfigureAwait(false);
                    }
                    else
                    {
                        // Known to be cut off: count the missed publish at once rather than queue work for a dead link.
                        Interlocked.Increment(ref _missedTicks);
                    }

                    Interlocked.Increment(ref _ticks);
                    ReportReachability();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (Exception ex) when (stopping.IsCancellationRequested)
        {
            // Stopped while Redis work failed or timed out (the host often closes the connection as it stops): the loop
            // ends quietly, so that StopAsync goes on to give the breakers back their local behaviour.
            Log.FailedWhileStopping(_logger, ex);
        }
    }

    /// <summary>
    /// Runs one piece of Redis work; a failure or a timeout counts as a missed publish and never escapes the loop. Once
    /// stopping began it escapes, to end the loop (which swallows it).
    /// </summary>
    private async Task GuardAsync(Task work, CancellationToken stopping)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            // Whatever Redis or the connection throws (a closed or disposed connection too), the loop goes on.
            Interlocked.Increment(ref _missedTicks);
            Log.ExchangeFailed(_logger, ex);
        }
    }

    /// <summary>Logs a change of reachability once; called by the loop and by the connection's events, hence the lock.</summary>
    private void ReportReachability()
    {
        bool first;
        bool coordinating;
        lock (_reachabilityLock)
        {
            coordinating = Reachable;
            if (coordinating == _wasCoordinating)
            {
                return;
            }

            first = _wasCoordinating is null;
            _wasCoordinating = coordinating;
        }

        if (coordinating && !first)
        {
            Log.CoordinationResumed(_logger);
        }
        else if (!coordinating)
        {
            Log.CoordinationLost(_logger);
        }
    }

    /// <summary>Waits for Redis work within the operation timeout (real time: it bounds I/O, whatever clock the breakers run on).</summary>
    private async Task ExchangeAsync(Task work, CancellationToken cancellationToken)
    {
        try
        {
            await work.WaitAsync(_options.OperationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The abandoned work may fail later; observe it so it is not reported as unobserved.
            _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private async Task<T> ExchangeAsync<T>(Task<T> work, CancellationToken cancellationToken)
    {
        await ExchangeAsync((Task)work, cancellationToken).ConfigureAwait(false);
        return await work.ConfigureAwait(false);
    }

    /// <summary>
    /// One publish round: publish this instance's counts, read the fleet's state and counts, apply openings and closes that
    /// were missed on the channel, open breakers the fleet agrees on, and keep or take probe leases.
    /// </summary>
    private async Task TickAsync(CancellationToken stopping)
    {
        if (!_subscribed)
        {
            ISubscriber subscriber = _connection.GetSubscriber();
            await ExchangeAsync(subscriber.UnsubscribeAsync(_channel, _onAnnouncement), stopping).ConfigureAwait(false);
            await ExchangeAsync(subscriber.SubscribeAsync(_channel, _onAnnouncement), stopping).ConfigureAwait(false);
            _subscribed = true;
        }

        IDatabase db = _connection.GetDatabase();
        BreakerParticipant[] participants = _participants.Values.ToArray();
        if (participants.Length == 0)
        {
            await ExchangeAsync(db.PingAsync(), stopping).ConfigureAwait(false);
            Reached();
            return;
        }

        // Round 1: publish counts, read the fleet's state and who is alive.
        TimeSpan countsLive = _options.LocalFallbackAfter;
        IBatch batch = db.CreateBatch();
        var reads = new (Task<RedisValue> Open, Task<RedisValue> Epoch, Task<RedisValue[]> Members)[participants.Length];
        var work = new List<Task>(participants.Length * 6);
        for (int i = 0; i < participants.Length; i++)
        {
            BreakerParticipant p = participants[i];
            CircuitBreakerMetrics metrics = p.Observe();
            if (metrics.TotalCalls != p.LastTotalCalls)
            {
                p.LastTotalCalls = metrics.TotalCalls;
                if (p.HoldsLease)
                {
                    p.LeaseActiveAt = _time.GetTimestamp();
                }
            }

            InstanceCounts own = InstanceCounts.From(metrics, p.Breaker.Options, p.Epoch);
            work.Add(batch.StringSetAsync(p.Keys.OwnCounts, own.Format(), countsLive));
            work.Add(batch.SetAddAsync(p.Keys.Instances, _options.InstanceId));
            work.Add(batch.KeyExpireAsync(p.Keys.Instances, countsLive));
            reads[i] = (batch.StringGetAsync(p.Keys.Open), batch.StringGetAsync(p.Keys.Epoch), batch.SetMembersAsync(p.Keys.Instances));
            work.Add(reads[i].Open);
            work.Add(reads[i].Epoch);
            work.Add(reads[i].Members);
        }

        batch.Execute();
        await ExchangeAsync(Task.WhenAll(work), stopping).ConfigureAwait(false);

        for (int i = 0; i < participants.Length; i++)
        {
            Reconcile(participants[i], reads[i].Open.Result, reads[i].Epoch.Result);
        }

        // Round 2: the live instances' counts.
        batch = db.CreateBatch();
        work.Clear();
        var counts = new Task<RedisValue[]>[participants.Length];
        var members = new string[participants.Length][];
        for (int i = 0; i < participants.Length; i++)
        {
            members[i] = reads[i].Members.Result.Select(static m => (string)m!).ToArray();
            counts[i] = batch.StringGetAsync(members[i].Select(participants[i].Keys.CountsOf).ToArray());
            work.Add(counts[i]);
        }

        batch.Execute();
        await ExchangeAsync(Task.WhenAll(work), stopping).ConfigureAwait(false);
        Reached();

        for (int i = 0; i < participants.Length; i++)
        {
            BreakerParticipant p = participants[i];
            FleetView view = Sum(p, members[i], counts[i].Result, db);
            if (reads[i].Open.Result.IsNull && !p.InFleetBreak && view.ShouldOpen(p.Breaker.Options, _options.MinimumInstances))
            {
                await OpenForFleetAsync(p, view, db, stopping).ConfigureAwait(false);
            }

            await KeepLeaseAsync(p, db, stopping).ConfigureAwait(false);
        }
    }

    private void Reached()
    {
        _contacted = true;
        Volatile.Write(ref _missedTicks, 0);
    }

    /// <summary>Applies what Redis says about a breaker, in case its announcement was missed.</summary>
    private void Reconcile(BreakerParticipant p, RedisValue open, RedisValue epochValue)
    {
        long epoch = !epochValue.IsNull && epochValue.TryParse(out long e) ? e : 0;
        long endsMs = 0;
        bool hasOpening = !open.IsNull && open.TryParse(out endsMs);
        if (epoch != p.Epoch)
        {
            // A higher epoch with no break in force: the fleet closed while this instance missed the announcement.
            // (A lower one means Redis lost its data: adopt it and change nothing.)
            if (epoch > p.Epoch && !hasOpening && p.InFleetBreak)
            {
                CloseFromFleet(p);
            }

            p.Epoch = epoch;
        }

        if (hasOpening)
        {
            ApplyOpening(p, endsMs);
        }
        else if (p.InFleetBreak)
        {
            // The break expired with no verdict (nobody probed for the fleet): the breaker goes on by itself.
            p.LeaveFleetBreak();
        }
    }

    private FleetView Sum(BreakerParticipant p, string[] members, RedisValue[] values, IDatabase db)
    {
        var view = default(FleetView);
        for (int j = 0; j < members.Length; j++)
        {
            if (values[j].IsNull)
            {
                // Its counts expired: the instance is gone.
                db.SetRemove(p.Keys.Instances, members[j], CommandFlags.FireAndForget);
            }
            else if (InstanceCounts.TryParse(((string?)values[j]).AsSpan(), out InstanceCounts c) && c.Epoch == p.Epoch)
            {
                view = view.Add(c);
            }
        }

        return view;
    }

    private async Task OpenForFleetAsync(BreakerParticipant p, FleetView view, IDatabase db, CancellationToken stopping)
    {
        CircuitBreakerOptions options = p.Breaker.Options;
        DateTimeOffset ends = p.Breaker.TimeProvider.GetUtcNow() + options.BreakDuration;
        long endsMs = ends.ToUnixTimeMilliseconds();
        TimeSpan keep = options.BreakDuration + _options.ProbeLeaseDuration;
        bool won = await ExchangeAsync(db.StringSetAsync(p.Keys.Open, endsMs, keep, When.NotExists), stopping).ConfigureAwait(false);
        if (!won)
        {
            return; // Another instance opened it first; its announcement (or the next round) applies it here.
        }

        Log.FleetOpened(_logger, p.Breaker.Name, view.InstancesCrossed, view.Instances, view.Failures, view.SlowCalls, view.Calls, ends);
        ApplyOpening(p, endsMs);
        var message = new FleetMessage(FleetMessageKind.Opened, endsMs, _options.InstanceId, p.Breaker.Name);
        await ExchangeAsync(db.PublishAsync(_channel, message.Format()), stopping).ConfigureAwait(false);
    }

    private void ApplyOpening(BreakerParticipant p, long endsMs)
    {
        if (p.FleetBreakEndsMs != endsMs)
        {
            p.HoldsLease = false;
            p.Probing = false;
            p.ClearLeaseWish();
        }

        p.FleetBreakEndsMs = endsMs;
        if (p.AppliedEndsMs != endsMs)
        {
            p.AppliedEndsMs = endsMs;
            p.Breaker.OpenUntil(FromUnixMs(endsMs));
            Log.OpeningApplied(_logger, p.Breaker.Name, FromUnixMs(endsMs));
        }
    }

    private void CloseFromFleet(BreakerParticipant p)
    {
        p.LeaveFleetBreak();
        if (p.Breaker.CloseIfOpen())
        {
            Log.CloseApplied(_logger, p.Breaker.Name);
        }
    }

    /// <summary>The lease holder renews its lease while it probes; an instance that wants to probe tries to take it.</summary>
    private async Task KeepLeaseAsync(BreakerParticipant p, IDatabase db, CancellationToken stopping)
    {
        if (p.HoldsLease)
        {
            if (_time.GetElapsedTime(p.LeaseActiveAt) >= _options.ProbeLeaseDuration)
            {
                // No call reached this breaker for a whole lease (no traffic to probe with): let the lease lapse so an
                // instance with traffic probes.
                p.HoldsLease = false;
            }
            else if (p.Probing)
            {
                bool kept = await ExchangeAsync(db.LockExtendAsync(p.Keys.ProbeLease, _options.InstanceId, _options.ProbeLeaseDuration), stopping).ConfigureAwait(false);
                p.HoldsLease = kept;
                if (kept)
                {
                    await ExchangeAsync(db.KeyExpireAsync(p.Keys.Open, 2 * _options.ProbeLeaseDuration, ExpireWhen.GreaterThanCurrentExpiry), stopping).ConfigureAwait(false);
                }
            }
        }
        else if (p.WantsLease && p.InFleetBreak)
        {
            await TakeLeaseAsync(p, db, stopping).ConfigureAwait(false);
        }
    }

    private async Task TakeLeaseAsync(BreakerParticipant p, IDatabase db, CancellationToken stopping)
    {
        bool taken = await ExchangeAsync(db.LockTakeAsync(p.Keys.ProbeLease, _options.InstanceId, _options.ProbeLeaseDuration), stopping).ConfigureAwait(false);
        if (!taken)
        {
            return;
        }

        // The break outlives the lease, so that if this instance dies another can take the lease before the break vanishes.
        await ExchangeAsync(db.KeyExpireAsync(p.Keys.Open, 2 * _options.ProbeLeaseDuration, ExpireWhen.GreaterThanCurrentExpiry), stopping).ConfigureAwait(false);
        p.LeaseActiveAt = _time.GetTimestamp();
        p.Probing = false;
        p.HoldsLease = true;
        p.ClearLeaseWish();
        Log.LeaseTaken(_logger, p.Breaker.Name);
    }

    private async Task HandleAsync(Signal signal, CancellationToken stopping)
    {
        BreakerParticipant p = signal.Participant!;
        switch (signal.Kind)
        {
            case SignalKind.Announcement when IsCoordinating:
                if (signal.Announcement.Kind == FleetMessageKind.Opened)
                {
                    ApplyOpening(p, signal.Announcement.Value);
                }
                else
                {
                    if (p.InFleetBreak)
                    {
                        CloseFromFleet(p);
                    }

                    p.Epoch = signal.Announcement.Value;
                }

                break;

            case SignalKind.LeaseWanted when IsCoordinating && p.InFleetBreak && !p.HoldsLease:
                await TakeLeaseAsync(p, _connection.GetDatabase(), stopping).ConfigureAwait(false);
                break;

            case SignalKind.Verdict when p.HoldsLease:
                await PublishVerdictAsync(p, signal, stopping).ConfigureAwait(false);
                break;
        }
    }

    private async Task PublishVerdictAsync(BreakerParticipant p, Signal verdict, CancellationToken stopping)
    {
        IDatabase db = _connection.GetDatabase();
        FleetMessage message;
        if (verdict.Outcome == CircuitState.Closed)
        {
            // One transaction, so nobody reads the break gone while the epoch is still the old one.
            ITransaction transaction = db.CreateTransaction();
            _ = transaction.KeyDeleteAsync(p.Keys.Open);
            Task<long> epoch = transaction.StringIncrementAsync(p.Keys.Epoch);
            _ = transaction.KeyExpireAsync(p.Keys.Epoch, TimeSpan.FromDays(1));
            await ExchangeAsync(transaction.ExecuteAsync(), stopping).ConfigureAwait(false);
            long newEpoch = await ExchangeAsync(epoch, stopping).ConfigureAwait(false);
            p.LeaveFleetBreak();
            p.Epoch = newEpoch;
            message = new FleetMessage(FleetMessageKind.Closed, newEpoch, _options.InstanceId, p.Breaker.Name);
        }
        else
        {
            long remainingMs = verdict.BreakEndsMs - p.Breaker.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            TimeSpan keep = AtLeastOneMs(TimeSpan.FromMilliseconds(remainingMs)) + _options.ProbeLeaseDuration;
            await ExchangeAsync(db.StringSetAsync(p.Keys.Open, verdict.BreakEndsMs, keep), stopping).ConfigureAwait(false);
            p.HoldsLease = false;
            p.Probing = false;
            p.FleetBreakEndsMs = verdict.BreakEndsMs;
            p.AppliedEndsMs = verdict.BreakEndsMs;
            message = new FleetMessage(FleetMessageKind.Opened, verdict.BreakEndsMs, _options.InstanceId, p.Breaker.Name);
        }

        await ExchangeAsync(db.LockReleaseAsync(p.Keys.ProbeLease, _options.InstanceId), stopping).ConfigureAwait(false);
        await ExchangeAsync(db.PublishAsync(_channel, message.Format()), stopping).ConfigureAwait(false);
        Log.VerdictPublished(_logger, p.Breaker.Name, verdict.Outcome);
    }
}
