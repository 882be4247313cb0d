namespace Breaker.Samples.Web.Quotes;

/// <summary>A price for a product, and where it came from: "downstream" or "fallback".</summary>
public sealed record Quote(string Sku, decimal Price, string Source);
