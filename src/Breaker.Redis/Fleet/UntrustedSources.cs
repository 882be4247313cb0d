using System;
using System.Collections.Concurrent;
using System.Text;
using System.Threading;
using Breaker.Logging;
using Microsoft.Extensions.Logging;

namespace Breaker.Fleet;

/// <summary>
/// Says once per source that a record or message from it was refused (forged, garbage, out of range, unsigned), so that a
/// flood of them costs one log line each for at most <see cref="MaxSources"/> sources, then one more line in all.
/// </summary>
internal sealed class UntrustedSources
{
    public const int MaxSources = 1000;
    private const int MaxShown = 64;

    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private int _full;

    public UntrustedSources(ILogger logger) => _logger = logger;

    /// <summary>Reports a refused <paramref name="what"/> ("counts", "state record", "announcement") from <paramref name="source"/>.</summary>
    public void Report(string what, string source, string breakerName, string problem)
    {
        string shown = Shown(source);
        if (_reported.Count >= MaxSources)
        {
            if (Interlocked.Exchange(ref _full, 1) == 0)
            {
                Log.UntrustedSourcesFull(_logger, MaxSources);
            }

            return;
        }

        if (_reported.TryAdd(what + "\n" + shown, 0))
        {
            Log.UntrustedRecord(_logger, what, shown, Shown(breakerName), problem);
        }
    }

    /// <summary>What came from outside is shown short and printable, whatever it holds.</summary>
    private static string Shown(string text)
    {
        var shown = new StringBuilder(Math.Min(text.Length, MaxShown) + 1);
        foreach (char c in text.Length > MaxShown ? text[..MaxShown] : text)
        {
            shown.Append(c is < ' ' or > '~' ? '?' : c);
        }

        return text.Length > MaxShown ? shown.Append('…').ToString() : shown.ToString();
    }
}
