using System;
using System.Globalization;

namespace Breaker.Protocol;

/// <summary>
/// The text form shared by records and messages: <c>2|field|field|...|tag</c>, fields separated by <c>|</c>, the wire
/// version first and the (possibly empty) signature tag last. Only the last field of a payload may contain <c>|</c>.
/// </summary>
internal static class RecordText
{
    public static string Compose(RecordSigner signer, string location, string payload) => payload + "|" + signer.Sign(location, payload);

    /// <summary>
    /// Splits <paramref name="text"/> into exactly <paramref name="count"/> payload fields after checking its length, its
    /// version and its tag. <paramref name="problem"/> says why it is refused (<see langword="null"/> when the text is absent).
    /// </summary>
    public static bool TrySplit(string? text, string location, RecordSigner signer, int count, out string[] fields, out string? problem)
    {
        fields = [];
        problem = null;
        if (text is null)
        {
            return false;
        }

        int tagStart = text.LastIndexOf('|');
        if (text.Length > FleetLimits.MaxRecordLength || tagStart < 0)
        {
            problem = "malformed";
            return false;
        }

        string payload = text[..tagStart];
        fields = payload.Split('|', count);
        if (fields.Length != count || fields[0] != FleetLimits.WireVersion)
        {
            problem = fields.Length > 1 && fields[0] != FleetLimits.WireVersion ? "another wire format version" : "malformed";
            return false;
        }

        if (!signer.Verify(location, payload, text.AsSpan(tagStart + 1)))
        {
            problem = "no valid signature";
            return false;
        }

        return true;
    }

    /// <summary>A decimal integer with an optional sign (a negative one parses, and is then refused as out of range).</summary>
    public static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
