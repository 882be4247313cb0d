namespace Breaker.Protocol;

/// <summary>
/// What one instance publishes about one breaker: its window's counts, the fleet epoch they were measured in, and the
/// instance's <see cref="RoundMark"/>. Stored under the instance's own key as
/// <c>3|counts|epoch|session|round|calls|failures|slow|instance|tag</c>. Only fresh evidence is published: the window of a
/// closed breaker that holds nothing from before the last fleet break, or the window at the moment the breaker opened on
/// its own evidence (until the fleet follows); otherwise zeros. Whether the counts cross a threshold is judged by each
/// reader with its own options, never taken on trust.
/// </summary>
internal readonly record struct InstanceCounts(long Epoch, RoundMark Mark, long Calls, long Failures, long SlowCalls, string InstanceId)
{
    private const int Fields = 9;

    public static InstanceCounts From(CircuitBreakerMetrics metrics, long epoch, RoundMark mark, string instanceId) =>
        new(epoch, mark, metrics.WindowCalls, metrics.WindowFailures, metrics.WindowSlowCalls, instanceId);

    public static InstanceCounts Nothing(long epoch, RoundMark mark, string instanceId) => new(epoch, mark, 0, 0, 0, instanceId);

    public string Format(RecordSigner signer, string key) => RecordText.Compose(
        signer,
        key,
        string.Join(
            '|',
            FleetLimits.WireVersion,
            "counts",
            RecordText.Number(Epoch),
            Mark.Session,
            RecordText.Number(Mark.Round),
            RecordText.Number(Calls),
            RecordText.Number(Failures),
            RecordText.Number(SlowCalls),
            InstanceId));

    /// <summary>
    /// Reads and checks the counts stored under <paramref name="key"/>, which belongs to <paramref name="instanceId"/>:
    /// <c>0 &lt;= failures &lt;= calls &lt;= MaxCalls</c>, <c>0 &lt;= slow &lt;= calls</c>, a sane epoch and round mark, and the
    /// instance the key names.
    /// </summary>
    public static bool TryParse(string? text, string key, string instanceId, RecordSigner signer, out InstanceCounts counts, out string? problem)
    {
        counts = default;
        if (!RecordText.TrySplit(text, key, signer, Fields, out string[] f, out problem))
        {
            return false;
        }

        if (f[1] != "counts"
            || !RecordText.TryNumber(f[2], out long epoch)
            || !RecordText.TryNumber(f[4], out long round)
            || !RecordText.TryNumber(f[5], out long calls)
            || !RecordText.TryNumber(f[6], out long failures)
            || !RecordText.TryNumber(f[7], out long slow))
        {
            problem = "malformed";
            return false;
        }

        if (!FleetLimits.IsCounter(epoch) || !RoundMark.IsValid(f[3], round)
            || calls > FleetLimits.MaxCalls || failures < 0 || failures > calls || slow < 0 || slow > calls)
        {
            problem = "out of range";
            return false;
        }

        if (f[8] != instanceId)
        {
            problem = "names another instance than its key";
            return false;
        }

        counts = new InstanceCounts(epoch, new RoundMark(f[3], round), calls, failures, slow, instanceId);
        return true;
    }
}
