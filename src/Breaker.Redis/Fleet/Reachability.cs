using System.Threading;
using Breaker.Logging;
using Microsoft.Extensions.Logging;

namespace Breaker.Fleet;

/// <summary>
/// Whether Redis answered the last exchanges: the connection is up, a round reached Redis, and fewer rounds than
/// <c>MissedPublishesBeforeLocal</c> missed it since. Each change is logged once.
/// </summary>
internal sealed class Reachability
{
    private readonly int _missedBeforeLocal;
    private readonly ILogger _logger;
    private readonly object _reportLock = new();
    private volatile bool _connected = true;
    private volatile bool _contacted;
    private int _missed;
    private bool? _wasReachable;

    public Reachability(int missedBeforeLocal, ILogger logger)
    {
        _missedBeforeLocal = missedBeforeLocal;
        _logger = logger;
    }

    public bool IsReachable => _connected && _contacted && Volatile.Read(ref _missed) < _missedBeforeLocal;

    /// <summary>Takes the connection's word for it, and says so as soon as the connection says so, not at the next round.</summary>
    public void ConnectionChanged(bool connected)
    {
        _connected = connected;
        Report();
    }

    /// <summary>A round reached Redis.</summary>
    public void Reached()
    {
        _contacted = true;
        Volatile.Write(ref _missed, 0);
    }

    /// <summary>A round missed Redis (it failed, timed out, or the connection was known to be down).</summary>
    public void Missed() => Interlocked.Increment(ref _missed);

    /// <summary>Logs a change of reachability once; called by the loop and by the connection's events, hence the lock.</summary>
    public void Report()
    {
        bool first;
        bool reachable;
        lock (_reportLock)
        {
            reachable = IsReachable;
            if (reachable == _wasReachable)
            {
                return;
            }

            first = _wasReachable is null;
            _wasReachable = reachable;
        }

        if (reachable && !first)
        {
            Log.CoordinationResumed(_logger);
        }
        else if (!reachable)
        {
            Log.CoordinationLost(_logger);
        }
    }
}
