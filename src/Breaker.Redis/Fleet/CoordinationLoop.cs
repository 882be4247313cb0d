using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Logging;
using Microsoft.Extensions.Logging;

namespace Breaker.Fleet;

/// <summary>
/// The coordinator's background loop: a publish round every interval and the signals in between, one piece of work at a
/// time, so that everything touching Redis or a participant's fleet state runs on it alone.
/// </summary>
internal sealed class CoordinationLoop
{
    private readonly RedisExchange _exchange;
    private readonly Reachability _reachability;
    private readonly FleetSignals _signals;
    private readonly PublishRound _round;
    private readonly ConcurrentDictionary<string, BreakerParticipant> _participants;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _ticks;

    public CoordinationLoop(
        RedisExchange exchange,
        Reachability reachability,
        FleetSignals signals,
        PublishRound round,
        ConcurrentDictionary<string, BreakerParticipant> participants,
        TimeSpan interval,
        TimeProvider time,
        ILogger logger)
    {
        _exchange = exchange;
        _reachability = reachability;
        _signals = signals;
        _round = round;
        _participants = participants;
        _interval = interval;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completed publish rounds, reached Redis or not.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>Runs until <paramref name="stopping"/> is cancelled; never throws.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        Task<bool>? tick = Task.FromResult(true);
        Task<bool>? signal = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                tick ??= timer.WaitForNextTickAsync(stopping).AsTask();
                signal ??= _signals.WaitToReadAsync(stopping).AsTask();
                await Task.WhenAny(tick, signal).ConfigureAwait(false);
                stopping.ThrowIfCancellationRequested();
                if (signal.IsCompleted)
                {
                    signal = null;

                    // A due round goes first, so that a stream of signals (a flood of announcements) cannot starve it.
                    while (!tick.IsCompleted && _signals.TryRead(out Signal? next))
                    {
                        await GuardAsync(_signals.HandleAsync(next, stopping), stopping).ConfigureAwait(false);
                    }
                }

                if (tick.IsCompleted)
                {
                    tick = null;
                    if (_exchange.Connection.IsConnected)
                    {
                        await GuardAsync(TickAsync(stopping), stopping).ConfigureAwait(false);
                    }
                    else
                    {
                        // Known to be cut off: count the missed publish at once rather than queue work for a dead link.
                        _reachability.Missed();
                    }

                    Interlocked.Increment(ref _ticks);
                    _reachability.Report();
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
            _reachability.Missed();
            Log.ExchangeFailed(_logger, ex);
        }
    }

    private async Task TickAsync(CancellationToken stopping)
    {
        await _signals.EnsureSubscribedAsync(stopping).ConfigureAwait(false);
        await _round.RunAsync(_participants.Values.ToArray(), stopping).ConfigureAwait(false);
    }
}
