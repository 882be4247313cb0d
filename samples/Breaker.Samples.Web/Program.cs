using System;
using System.Linq;
using System.Threading;
using Breaker;
using Breaker.Samples.Web;
using Breaker.Samples.Web.Downstream;
using Breaker.Samples.Web.Management;
using Breaker.Samples.Web.Quotes;
using Breaker.Samples.Web.Rates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(static o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SampleJsonContext.Default));

// Breaker options come from the "CircuitBreakers" section of appsettings.json; edit the file while the app runs and the
// live breakers pick the change up without losing their state.
builder.Services.AddCircuitBreakers(builder.Configuration.GetSection("CircuitBreakers"));
builder.Services.AddHealthChecks().AddCircuitBreakers();

// The pricing service is this same app under /downstream (at the first address it listens on), unless
// Downstream:BaseAddress names another one.
builder.Services.AddHttpClient<QuoteClient>(static (services, client) => client.BaseAddress = DownstreamAddress(services))
    .AddCircuitBreaker("quotes-api");
builder.Services.AddSingleton<FlakyDownstream>();
builder.Services.AddSingleton<ExchangeRates>();

// Who may reset, isolate or dry-run a breaker: the operator key in an X-Api-Key header (curl), or the cookie that /sign-in
// gives a browser for the same key, so the dashboard's buttons work too.
string? generatedKey = builder.AddOperatorAccess();

WebApplication app = builder.Build();
if (generatedKey is not null)
{
    app.Logger.LogWarning("No Management:ApiKey is configured; the operator key for this run is {OperatorKey}", generatedKey);
}

app.Services.GetRequiredService<FlakyDownstream>().Map(app);
app.MapGet("/quotes/{sku}", static (string sku, QuoteClient quotes, CancellationToken cancellationToken) =>
    quotes.GetQuoteAsync(sku, cancellationToken));
app.MapGet("/rates/{currency}", static (string currency, ExchangeRates rates) => rates.GetRate(currency));
app.MapGet("/breakers", static (CircuitBreakerRegistry registry) => Results.Text(registry.GetSummary().ToString()));
app.MapHealthChecks("/health");

// The monitor: JSON under /circuit-breakers and the live dashboard at /circuit-breakers/dashboard; the endpoints that
// change breakers need the operator.
app.MapCircuitBreakerMonitor();
app.MapCircuitBreakerManagement().RequireAuthorization(OperatorAccess.Policy);
app.MapOperatorSignIn();

app.Run();

static Uri DownstreamAddress(IServiceProvider services)
{
    string? configured = services.GetRequiredService<IConfiguration>()["Downstream:BaseAddress"];
    if (!string.IsNullOrEmpty(configured))
    {
        return new Uri(configured);
    }

    string own = services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
    return new Uri(own.TrimEnd('/') + "/downstream/");
}
