using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Samples.Web.Quotes;

/// <summary>
/// A typed client for the pricing service. Its <see cref="HttpClient"/> goes through the "quotes-api" circuit breaker
/// (see Program.cs); when the call fails or the circuit is open, the quote comes from a fallback price instead.
/// </summary>
internal sealed class QuoteClient(HttpClient httpClient)
{
    private readonly CircuitBreakerJsonClient _json = new(httpClient);

    public async Task<Quote> GetQuoteAsync(string sku, CancellationToken cancellationToken)
    {
        Quote fallback = new(sku, 9.99m, "fallback");
        return await _json.GetAsync($"quotes/{sku}", SampleJsonContext.Default.Quote, fallback, cancellationToken).ConfigureAwait(false) ?? fallback;
    }
}
