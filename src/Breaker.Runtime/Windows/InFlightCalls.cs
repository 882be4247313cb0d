using System;
using System.Threading;

namespace Breaker.Windows;

/// <summary>
/// The calls admitted while closed that are still running, counted by when they started
/// (<see cref="CircuitBreakerOptions.CountSlowCallsInFlight"/>): a dependency that stopped answering shows here as soon as
/// the calls sent to it have run for <see cref="CircuitBreakerOptions.SlowCallDuration"/>, before any of them ends.
/// </summary>
/// <remarks>
/// Time is cut into slots of a quarter of the slow-call duration, kept in a ring of <see cref="Slots"/>. Each slot holds
/// how many calls started in it (stamped with the slot's number, restarted when the ring comes round) and how many of
/// those are still running (restarted with it; an end takes its call away only while its slot's stamp is unchanged). The
/// judged slots are those whose every call has run at least the slow-call duration, back to two slow-call durations:
/// fresh evidence only. A call still running after <see cref="Slots"/> slots (four slow-call durations) is forgotten.
/// Races can only lose a running call (the slot looks healthier), never invent one.
/// Lock-free and allocation-free: two interlocked writes when a call starts, a read and one write when it ends.
/// </remarks>
internal sealed class InFlightCalls
{
    /// <summary>Slots in the ring: four slow-call durations.</summary>
    public const int Slots = 16;

    /// <summary>Slots per slow-call duration.</summary>
    public const int SlotsPerSlowCall = 4;

    // The judged slots: one slow-call duration's worth of starts, the newest of them started at least one slow-call
    // duration and one slot ago (so that every call in them has run that long). Few slots, so that the healthy calls from
    // before a hang dilute it for one slow-call duration at most.
    private const int NewestJudged = SlotsPerSlowCall + 1;
    private const int OldestJudged = 2 * SlotsPerSlowCall;

    // A start count packs the slot's number (high bits) with the calls started in it (low bits), so one compare-and-swap
    // both restarts a slot the ring came round to and counts the call: no lock, and no count of an older round survives.
    private const int CountBits = 24;
    private const long CountMask = (1L << CountBits) - 1;

    private readonly long _slotTicks;
    private readonly long[] _started = new long[Slots];
    private readonly int[] _running = new int[Slots];

    // Calls started before this decide nothing: they belong to a period that a close (or the tracker's start) ended.
    private long _judgedFrom;

    /// <param name="slowCallTicks">The slow-call duration in timestamp ticks.</param>
    /// <param name="notBefore">When the tracker starts: calls started earlier were never counted here, so their ends are not either.</param>
    public InFlightCalls(long slowCallTicks, long notBefore)
    {
        _slotTicks = Math.Max(1, slowCallTicks / SlotsPerSlowCall);
        NotBefore = notBefore;
        _judgedFrom = notBefore;
    }

    /// <summary>Calls started before this timestamp are not counted.</summary>
    public long NotBefore { get; }

    /// <summary>Counts a call that starts at <paramref name="start"/>; true when it is the first of its slot (the moment to judge).</summary>
    public bool Start(long start)
    {
        long slot = start / _slotTicks;
        int index = (int)(slot & (Slots - 1));
        while (true)
        {
            long packed = Volatile.Read(ref _started[index]);
            long stamped = packed >> CountBits;
            if (stamped == slot)
            {
                // Saturated (16 million calls in one slot): it is judged on the running calls capped by this count, so
                // stopping here only makes the slot look healthier.
                if ((packed & CountMask) == CountMask)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _started[index], packed + 1, packed) == packed)
                {
                    Interlocked.Increment(ref _running[index]);
                    return false;
                }
            }
            else if (stamped < slot)
            {
                if (Interlocked.CompareExchange(ref _started[index], (slot << CountBits) | 1, packed) == packed)
                {
                    // A new round of the ring: the calls of the old one still running are forgotten here (their ends
                    // see the new stamp and leave the count alone), so a call stuck for ever cannot haunt later rounds.
                    // A call of this slot counted between the two writes is lost, which only makes the slot look healthier.
                    Volatile.Write(ref _running[index], 1);
                    return true;
                }
            }
            else
            {
                // A later slot already owns the ring's place: this start was read from the clock a while ago. It is not
                // counted, and its end finds another stamp and takes nothing away.
                return false;
            }
        }
    }

    /// <summary>Takes away a call that started at <paramref name="start"/> and ended, if its slot is still in the ring.</summary>
    public void End(long start)
    {
        if (start < NotBefore)
        {
            return;
        }

        long slot = start / _slotTicks;
        int index = (int)(slot & (Slots - 1));
        if (Volatile.Read(ref _started[index]) >> CountBits == slot)
        {
            Interlocked.Decrement(ref _running[index]);
        }
    }

    /// <summary>Only fresh evidence decides: calls started before <paramref name="now"/> (before a close) are judged no more.</summary>
    public void ForgetBefore(long now) => Volatile.Write(ref _judgedFrom, now);

    /// <summary>
    /// Of the calls that started between two and one slow-call durations before <paramref name="now"/>, how many started
    /// (<paramref name="started"/>) and how many are still running (<paramref name="stuck"/>, at most as many).
    /// </summary>
    public void Judge(long now, out long started, out long stuck)
    {
        started = 0;
        stuck = 0;
        long current = now / _slotTicks;
        long from = Volatile.Read(ref _judgedFrom);
        for (long slot = current - OldestJudged; slot <= current - NewestJudged; slot++)
        {
            if (slot < 0 || slot * _slotTicks < from)
            {
                continue;
            }

            int index = (int)(slot & (Slots - 1));
            long packed = Volatile.Read(ref _started[index]);
            if (packed >> CountBits != slot)
            {
                // Nobody started a call in that slot (the ring holds an older round): nothing to judge there.
                continue;
            }

            long count = packed & CountMask;
            started += count;
            stuck += Math.Clamp(Volatile.Read(ref _running[index]), 0, count);
        }
    }
}
