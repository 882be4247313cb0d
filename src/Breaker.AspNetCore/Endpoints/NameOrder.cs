using System.Collections.Generic;

namespace Breaker.AspNetCore.Endpoints;

/// <summary>Orders breakers by name, ordinal: the summary's default order, stable from page to page.</summary>
internal sealed class NameOrder : IComparer<BreakerSnapshot>
{
    public static NameOrder Instance { get; } = new();

    private NameOrder()
    {
    }

    public int Compare(BreakerSnapshot x, BreakerSnapshot y) => string.CompareOrdinal(x.Breaker.Name, y.Breaker.Name);
}
