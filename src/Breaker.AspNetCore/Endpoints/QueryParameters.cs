using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>Reads the monitor's query parameters: each at most once, numbers whole and in range; the first problem found wins.</summary>
internal static class QueryParameters
{
    /// <summary>The parameter's one value, <see langword="null"/> when absent; given twice, a problem.</summary>
    public static string? Single(IQueryCollection query, string name, ref string? problem)
    {
        StringValues values = query[name];
        if (values.Count > 1)
        {
            Fail(ref problem, $"'{name}' is given more than once.");
            return null;
        }

        return values.Count == 0 ? null : values[0];
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>, or <paramref name="missing"/> when absent.</summary>
    public static int Number(IQueryCollection query, string name, int missing, int min, int max, ref string? problem)
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

    public static void Fail(ref string? problem, string detail) => problem ??= detail;
}
