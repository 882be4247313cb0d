namespace Breaker.Protocol;

/// <summary>
/// An announcement on the application's channel that the fleet's state of a breaker changed:
/// <c>3|kind|epoch|sequence|instance|name|tag</c>. It is a hint, never obeyed as such: a receiver that finds it valid,
/// from an instance it knows, and newer than what it applied, reads the state record from Redis and applies that.
/// The breaker's name comes last, so it may hold any character.
/// </summary>
internal readonly record struct FleetMessage(FleetStateKind Kind, FleetVersion Version, string InstanceId, string BreakerName)
{
    private const int Fields = 6;

    public string Format(RecordSigner signer, string channel) => RecordText.Compose(
        signer,
        channel,
        string.Join(
            '|',
            FleetLimits.WireVersion,
            FleetState.KindName(Kind),
            RecordText.Number(Version.Epoch),
            RecordText.Number(Version.Sequence),
            InstanceId,
            BreakerName));

    /// <summary>Reads and checks an announcement; <paramref name="problem"/> says why one is refused.</summary>
    public static bool TryParse(string? text, string channel, RecordSigner signer, out FleetMessage message, out string? problem)
    {
        message = default;
        if (!RecordText.TrySplit(text, channel, signer, Fields, out string[] f, out problem))
        {
            problem ??= "malformed";
            return false;
        }

        FleetStateKind? kind = FleetState.ParseKind(f[1]);
        if (kind is null || !RecordText.TryNumber(f[2], out long epoch) || !RecordText.TryNumber(f[3], out long sequence))
        {
            problem = "malformed";
            return false;
        }

        if (!FleetLimits.IsCounter(epoch) || !FleetLimits.IsCounter(sequence) || !FleetLimits.IsValidInstanceId(f[4]) || f[5].Length == 0)
        {
            problem = "out of range";
            return false;
        }

        message = new FleetMessage(kind.Value, new FleetVersion(epoch, sequence), f[4], f[5]);
        return true;
    }
}
