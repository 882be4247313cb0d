using System;
using Breaker.Samples.Web.Quotes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Breaker.Samples.Web.Downstream;

/// <summary>
/// A deliberately unreliable pricing service, served by the same app under /downstream: a share of its requests fail with
/// 500, and an outage (started and ended by POST/DELETE /downstream/outage) fails every one of them.
/// </summary>
internal sealed class FlakyDownstream(IConfiguration configuration)
{
    private readonly double _failureRate = configuration.GetValue("Downstream:FailureRate", 0.2);
    private volatile bool _outage;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder downstream = endpoints.MapGroup("/downstream");
        downstream.MapGet("/quotes/{sku}", (string sku) =>
            _outage || Random.Shared.NextDouble() < _failureRate
                ? Results.StatusCode(StatusCodes.Status500InternalServerError)
                : Results.Json(new Quote(sku, PriceOf(sku), "downstream"), SampleJsonContext.Default.Quote));
        downstream.MapPost("/outage", () => SetOutage(true));
        downstream.MapDelete("/outage", () => SetOutage(false));
    }

    private static decimal PriceOf(string sku) => 10m + (Math.Abs(StringComparer.Ordinal.GetHashCode(sku)) % 9000) / 100m;

    private IResult SetOutage(bool outage)
    {
        _outage = outage;
        return Results.Json(new OutageStatus(outage), SampleJsonContext.Default.OutageStatus);
    }
}

/// <summary>Whether the downstream service is in an outage.</summary>
internal sealed record OutageStatus(bool Outage);
