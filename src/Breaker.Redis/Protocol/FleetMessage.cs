using System.Globalization;

namespace Breaker.Protocol;

/// <summary>
/// An announcement on the application's channel: a breaker opened by the fleet until an instant (<c>open|endMs|instance|name</c>),
/// or closed after its probes succeeded (<c>closed|epoch|instance|name</c>). The name comes last, so it may hold any character.
/// </summary>
internal readonly record struct FleetMessage(FleetMessageKind Kind, long Value, string InstanceId, string BreakerName)
{
    public string Format() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(Kind == FleetMessageKind.Opened ? "open" : "closed")}|{Value}|{InstanceId}|{BreakerName}");

    public static bool TryParse(string? text, out FleetMessage message)
    {
        message = default;
        if (text is null)
        {
            return false;
        }

        string[] parts = text.Split('|', 4);
        if (parts.Length != 4
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            return false;
        }

        FleetMessageKind? kind = parts[0] switch
        {
            "open" => FleetMessageKind.Opened,
            "closed" => FleetMessageKind.Closed,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        message = new FleetMessage(kind.Value, value, parts[2], parts[3]);
        return true;
    }
}
