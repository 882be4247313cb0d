namespace Breaker.Protocol;

/// <summary>
/// What one instance publishes about one breaker: its window's counts and the fleet epoch they were measured in. Stored
/// under the instance's own key as <c>2|counts|epoch|calls|failures|slow|instance|tag</c>. Only fresh evidence is published:
/// an instance whose breaker is not closed, or whose window still holds outcomes from before the last fleet break, reports
/// zeros. Whether the counts cross a threshold is judged by each reader with its own options, never taken on trust.
/// </summary>
internal readonly record struct InstanceCounts(long Epoch, long Calls, long Failures, long SlowCalls, string InstanceId)
{
    private const int Fields = 7;

    public static InstanceCounts From(CircuitBreakerMetrics metrics, long epoch, string instanceId) =>
        new(epoch, metrics.WindowCalls, metrics.WindowFailures, metrics.WindowSlowCalls, instanceId);

    public static InstanceCounts Nothing(long epoch, string instanceId) => new(epoch, 0, 0, 0, instanceId);

    public string Format(RecordSigner signer, string key) => RecordText.Compose(
        signer,
        key,
        string.Join(
            '|',
            FleetLimits.WireVersion,
            "counts",
            RecordText.Number(Epoch),
            RecordText.Number(Calls),
            RecordText.Number(Failures),
            RecordText.Number(SlowCalls),
            InstanceId));

    /// <summary>
    /// Reads and checks the counts stored under <paramref name="key"/>, which belongs to <paramref name="instanceId"/>:
    /// <c>0 &lt;= failures &lt;= calls &lt;= MaxCalls</c>, <c>0 &lt;= slow &lt;= calls</c>, a sane epoch, and the instance the key names.
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
            || !RecordText.TryNumber(f[3], out long calls)
            || !RecordText.TryNumber(f[4], out long failures)
            || !RecordText.TryNumber(f[5], out long slow))
        {
            problem = "malformed";
            return false;
        }

        if (!FleetLimits.IsCounter(epoch) || calls > FleetLimits.MaxCalls || failures < 0 || failures > calls || slow < 0 || slow > calls)
        {
            problem = "out of range";
            return false;
        }

        if (f[6] != instanceId)
        {
            problem = "names another instance than its key";
            return false;
        }

        counts = new InstanceCounts(epoch, calls, failures, slow, instanceId);
        return true;
    }
}
