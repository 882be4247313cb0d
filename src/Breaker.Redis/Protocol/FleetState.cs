using System;

namespace Breaker.Protocol;

/// <summary>
/// The fleet's state of one breaker, the one record each instance applies (announcements only say "look again"). Stored as
/// <c>3|open|epoch|sequence|breakMs|graceMs|intervalMs|session|round|instance|tag</c> with a Redis expiry of break + grace.
/// Every duration in it is signed with it: the break as its writer chose it, the grace, the writer's publish interval, and
/// the writer's <see cref="RoundMark"/> when it wrote the record (the break's start, as a point in the writer's rounds). A
/// reader takes the least of what the key's PTTL leaves (less the grace) and of the signed break less the time the writer's
/// rounds show passed since: an expiry nobody signed never lengthens a break. <c>closed</c> and <c>epoch</c> records carry
/// zeros for the sequence, the break and the grace.
/// </summary>
/// <param name="Kind">What the record says.</param>
/// <param name="Version">The epoch and the break's sequence within it.</param>
/// <param name="BreakDuration">For a break: its length as the instance that opened it chose it.</param>
/// <param name="Grace">For a break: how long the record outlives the break's end, while one instance probes for all.</param>
/// <param name="Interval">The writer's publish interval: its rounds are at least this far apart.</param>
/// <param name="Mark">The writer's round mark when it wrote the record.</param>
/// <param name="InstanceId">The instance that wrote it.</param>
internal sealed record FleetState(FleetStateKind Kind, FleetVersion Version, TimeSpan BreakDuration, TimeSpan Grace, TimeSpan Interval, RoundMark Mark, string InstanceId)
{
    private const int Fields = 10;

    public static FleetState Break(FleetVersion version, TimeSpan breakDuration, TimeSpan grace, FleetWriter writer) =>
        new(FleetStateKind.Open, version, breakDuration, grace, writer.Interval, writer.Mark, writer.InstanceId);

    public static FleetState Verdict(FleetVersion version, FleetWriter writer) =>
        new(FleetStateKind.Closed, version, TimeSpan.Zero, TimeSpan.Zero, writer.Interval, writer.Mark, writer.InstanceId);

    public static FleetState EpochOnly(FleetVersion version, FleetWriter writer) =>
        new(FleetStateKind.Epoch, version, TimeSpan.Zero, TimeSpan.Zero, writer.Interval, writer.Mark, writer.InstanceId);

    /// <summary>How long Redis keeps the record.</summary>
    public TimeSpan TimeToLive => Kind == FleetStateKind.Open ? BreakDuration + Grace : FleetLimits.EpochRetention;

    /// <summary>
    /// The break still to run: what Redis's <paramref name="timeToLive"/> leaves after the grace, and never more than the
    /// signed break less <paramref name="elapsed"/> (the time the writer's rounds show passed since it wrote the record).
    /// Never negative.
    /// </summary>
    public TimeSpan RemainingBreak(TimeSpan? timeToLive, TimeSpan elapsed)
    {
        if (Kind != FleetStateKind.Open || timeToLive is not TimeSpan ttl || ttl <= Grace || elapsed >= BreakDuration)
        {
            return TimeSpan.Zero;
        }

        TimeSpan byExpiry = ttl - Grace;
        TimeSpan bySignature = BreakDuration - elapsed;
        return byExpiry < bySignature ? byExpiry : bySignature;
    }

    public string Format(RecordSigner signer, string key) => RecordText.Compose(
        signer,
        key,
        string.Join(
            '|',
            FleetLimits.WireVersion,
            KindName(Kind),
            RecordText.Number(Version.Epoch),
            RecordText.Number(Version.Sequence),
            RecordText.Number((long)BreakDuration.TotalMilliseconds),
            RecordText.Number((long)Grace.TotalMilliseconds),
            RecordText.Number((long)Interval.TotalMilliseconds),
            Mark.Session,
            RecordText.Number(Mark.Round),
            InstanceId));

    /// <summary>Reads and checks a state record; <paramref name="problem"/> says why one that is present is refused.</summary>
    public static bool TryParse(string? text, string key, RecordSigner signer, out FleetState? state, out string? problem)
    {
        state = null;
        if (!RecordText.TrySplit(text, key, signer, Fields, out string[] f, out problem))
        {
            return false;
        }

        FleetStateKind? kind = ParseKind(f[1]);
        if (kind is null
            || !RecordText.TryNumber(f[2], out long epoch)
            || !RecordText.TryNumber(f[3], out long sequence)
            || !RecordText.TryNumber(f[4], out long breakMs)
            || !RecordText.TryNumber(f[5], out long graceMs)
            || !RecordText.TryNumber(f[6], out long intervalMs)
            || !RecordText.TryNumber(f[8], out long round))
        {
            problem = "malformed";
            return false;
        }

        bool valid = FleetLimits.IsCounter(epoch) && FleetLimits.IsValidInstanceId(f[9]) && RoundMark.IsValid(f[7], round)
            && intervalMs >= 1 && intervalMs <= FleetLimits.MaxInterval.TotalMilliseconds && (kind == FleetStateKind.Open
            ? sequence is >= 1 and <= FleetLimits.MaxCounter
                && breakMs >= 1 && breakMs <= FleetLimits.MaxSharedBreak.TotalMilliseconds
                && graceMs >= 1 && graceMs <= FleetLimits.MaxGrace.TotalMilliseconds
            : sequence == 0 && breakMs == 0 && graceMs == 0 && (kind == FleetStateKind.Epoch || epoch >= 1));
        if (!valid)
        {
            problem = "out of range";
            return false;
        }

        state = new FleetState(
            kind.Value,
            new FleetVersion(epoch, sequence),
            TimeSpan.FromMilliseconds(breakMs),
            TimeSpan.FromMilliseconds(graceMs),
            TimeSpan.FromMilliseconds(intervalMs),
            new RoundMark(f[7], round),
            f[9]);
        return true;
    }

    public static string KindName(FleetStateKind kind) => kind switch
    {
        FleetStateKind.Open => "open",
        FleetStateKind.Closed => "closed",
        _ => "epoch",
    };

    public static FleetStateKind? ParseKind(string text) => text switch
    {
        "open" => FleetStateKind.Open,
        "closed" => FleetStateKind.Closed,
        "epoch" => FleetStateKind.Epoch,
        _ => null,
    };
}
