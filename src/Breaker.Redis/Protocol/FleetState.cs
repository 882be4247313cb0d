using System;

namespace Breaker.Protocol;

/// <summary>
/// The fleet's state of one breaker, the one record each instance applies (announcements only say "look again"). Stored as
/// <c>2|open|epoch|sequence|breakMs|graceMs|instance|tag</c> with a Redis expiry of break + grace, so the break still to run
/// is the key's own PTTL minus the grace: a duration measured by Redis, never an instant of one machine's clock.
/// <c>closed</c> and <c>epoch</c> records carry zeros for the sequence and the durations.
/// </summary>
/// <param name="Kind">What the record says.</param>
/// <param name="Version">The epoch and the break's sequence within it.</param>
/// <param name="BreakDuration">For a break: its length as the instance that opened it chose it.</param>
/// <param name="Grace">For a break: how long the record outlives the break's end, while one instance probes for all.</param>
/// <param name="InstanceId">The instance that wrote it.</param>
internal sealed record FleetState(FleetStateKind Kind, FleetVersion Version, TimeSpan BreakDuration, TimeSpan Grace, string InstanceId)
{
    private const int Fields = 7;

    public static FleetState Break(FleetVersion version, TimeSpan breakDuration, TimeSpan grace, string instanceId) =>
        new(FleetStateKind.Open, version, breakDuration, grace, instanceId);

    public static FleetState Verdict(FleetVersion version, string instanceId) => new(FleetStateKind.Closed, version, TimeSpan.Zero, TimeSpan.Zero, instanceId);

    public static FleetState EpochOnly(FleetVersion version, string instanceId) => new(FleetStateKind.Epoch, version, TimeSpan.Zero, TimeSpan.Zero, instanceId);

    /// <summary>How long Redis keeps the record.</summary>
    public TimeSpan TimeToLive => Kind == FleetStateKind.Open ? BreakDuration + Grace : FleetLimits.EpochRetention;

    /// <summary>The break still to run when Redis reports <paramref name="timeToLive"/> left on the record (never negative).</summary>
    public TimeSpan RemainingBreak(TimeSpan? timeToLive) =>
        Kind == FleetStateKind.Open && timeToLive is TimeSpan ttl && ttl > Grace ? ttl - Grace : TimeSpan.Zero;

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
            || !RecordText.TryNumber(f[5], out long graceMs))
        {
            problem = "malformed";
            return false;
        }

        bool valid = FleetLimits.IsCounter(epoch) && FleetLimits.IsValidInstanceId(f[6]) && (kind == FleetStateKind.Open
            ? sequence is >= 1 and <= FleetLimits.MaxCounter
                && breakMs >= 1 && breakMs <= FleetLimits.MaxSharedBreak.TotalMilliseconds
                && graceMs >= 1 && graceMs <= FleetLimits.MaxGrace.TotalMilliseconds
            : sequence == 0 && breakMs == 0 && graceMs == 0 && (kind == FleetStateKind.Epoch || epoch >= 1));
        if (!valid)
        {
            problem = "out of range";
            return false;
        }

        state = new FleetState(kind.Value, new FleetVersion(epoch, sequence), TimeSpan.FromMilliseconds(breakMs), TimeSpan.FromMilliseconds(graceMs), f[6]);
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
