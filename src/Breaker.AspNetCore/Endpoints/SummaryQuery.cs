using System;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>
/// What <c>GET {prefix}</c> was asked for: <c>view=summary</c> (the counts alone) or a page of breakers chosen by
/// <c>order</c> (<c>name</c> or <c>worst</c>), <c>offset</c> and <c>limit</c>, from the breakers on their own or, with
/// <c>group</c>, from one keyed group's. Pages are bounded so that an answer stays small however many breakers the
/// registry holds.
/// </summary>
internal sealed record SummaryQuery(bool CountsOnly, SummaryOrder Order, int Offset, int Limit, string? Group)
{
    /// <summary>How many breakers a page holds when the query does not say.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The most breakers one page may hold.</summary>
    public const int MaxLimit = 1_000;

    /// <summary>Reads the query; on a bad parameter returns <see langword="null"/> with the problem's detail.</summary>
    public static SummaryQuery? Parse(IQueryCollection query, out string? problem)
    {
        problem = null;
        bool countsOnly = false;
        switch (Single(query, "view", ref problem))
        {
            case null or "breakers":
                break;
            case "summary":
                countsOnly = true;
                break;
            default:
                Fail(ref problem, "'view' must be 'summary' (the counts alone) or 'breakers' (a page of breakers, the default).");
                break;
        }

        SummaryOrder order = SummaryOrder.Name;
        switch (Single(query, "order", ref problem))
        {
            case null or "name":
                break;
            case "worst":
                order = SummaryOrder.Worst;
                break;
            default:
                Fail(ref problem, "'order' must be 'name' (the default) or 'worst' (open, half-open and isolated breakers first, then the closest to opening).");
                break;
        }

        int offset = Number(query, "offset", 0, 0, int.MaxValue, ref problem);
        int limit = Number(query, "limit", DefaultLimit, 1, MaxLimit, ref problem);
        string? group = Single(query, "group", ref problem);
        if (group is { Length: 0 })
        {
            Fail(ref problem, "'group' must name a keyed group.");
        }

        return problem is null ? new SummaryQuery(countsOnly, order, offset, limit, group) : null;
    }

    /// <summary>The path and query of the page after this one.</summary>
    public string NextPage(HttpRequest request) => string.Create(
        CultureInfo.InvariantCulture,
        $"{request.PathBase}{request.Path}?order={(Order == SummaryOrder.Worst ? "worst" : "name")}&offset={(long)Offset + Limit}&limit={Limit}")
        + (Group is null ? string.Empty : "&group=" + Uri.EscapeDataString(Group));

    private static string? Single(IQueryCollection query, string name, ref string? problem)
    {
        StringValues values = query[name];
        if (values.Count > 1)
        {
            Fail(ref problem, $"'{name}' is given more than once.");
            return null;
        }

        return values.Count == 0 ? null : values[0];
    }

    private static int Number(IQueryCollection query, string name, int missing, int min, int max, ref string? problem)
    {
        string? text = Single(query, name, ref problem);
        if (text is null)
        {
            return missing;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }

        Fail(ref problem, $"'{name}' must be a whole number from {min} to {max}.");
        return missing;
    }

    private static void Fail(ref string? problem, string detail) => problem ??= detail;
}
