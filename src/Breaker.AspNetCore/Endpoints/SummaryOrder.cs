namespace Breaker.AspNetCore.Endpoints;

/// <summary>How <c>GET {prefix}</c> orders breakers before it takes a page.</summary>
internal enum SummaryOrder
{
    /// <summary>By name, ordinal: stable pages for a client that walks every breaker.</summary>
    Name,

    /// <summary>The most troubled first (<see cref="WorstFirst"/>): what the dashboard shows.</summary>
    Worst,
}
