using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>What a request for recent events asked for: a page, newest first, by <c>offset</c> and <c>limit</c>.</summary>
internal sealed record EventsQuery(int Offset, int Limit)
{
    /// <summary>How many events a page holds when the query does not say.</summary>
    public const int DefaultLimit = 50;

    /// <summary>The most events one page may hold.</summary>
    public const int MaxLimit = 500;

    /// <summary>Reads the query; on a bad parameter returns <see langword="null"/> with the problem's detail.</summary>
    public static EventsQuery? Parse(IQueryCollection query, out string? problem)
    {
        problem = null;
        int offset = QueryParameters.Number(query, "offset", 0, 0, int.MaxValue, ref problem);
        int limit = QueryParameters.Number(query, "limit", DefaultLimit, 1, MaxLimit, ref problem);
        return problem is null ? new EventsQuery(offset, limit) : null;
    }

    /// <summary>The path and query of the page after this one.</summary>
    public string NextPage(HttpRequest request) => string.Create(
        CultureInfo.InvariantCulture,
        $"{request.PathBase}{request.Path}?offset={(long)Offset + Limit}&limit={Limit}");
}
