using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Breaker.Http.Tests.Stress;

/// <summary>Sits under the breaker's handler and counts every response body that comes back from the server.</summary>
internal sealed class CountingHandler(ContentCounter counter) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        response.Content = counter.Wrap(response.Content);
        return response;
    }
}
