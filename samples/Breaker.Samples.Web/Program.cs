using System;
using System.Threading;
using Breaker;
using Breaker.Samples.Web;
using Breaker.Samples.Web.Downstream;
using Breaker.Samples.Web.Management;
using Breaker.Samples.Web.Quotes;
using Breaker.Samples.Web.Rates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(static o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, SampleJsonContext.Default));

// Breaker options come from the "CircuitBreakers" section of appsettings.json; edit the file while the app runs and the
// live breakers pick the change up without losing their state.
builder.Services.AddCircuitBreakers(builder.Configuration.GetSection("CircuitBreakers"));
builder.Services.AddHealthChecks().AddCircuitBreakers();

var downstreamAddress = new Uri(builder.Configuration["Downstream:BaseAddress"] ?? "http://127.0.0.1:5080/downstream/");
builder.Services.AddHttpClient<QuoteClient>(client => client.BaseAddress = downstreamAddress)
    .AddCircuitBreaker("quotes-api");
builder.Services.AddSingleton<FlakyDownstream>();
builder.Services.AddSingleton<ExchangeRates>();

// The management endpoints (reset, isolate, metrics-only) need the API key from appsettings.json in an X-Api-Key header.
builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
    .AddScheme<ApiKeyOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, o => o.ApiKey = builder.Configuration["Management:ApiKey"]);
builder.Services.AddAuthorization(static o => o.AddPolicy("breaker-admin", static p => p.RequireAuthenticatedUser()));

WebApplication app = builder.Build();

app.Services.GetRequiredService<FlakyDownstream>().Map(app);
app.MapGet("/quotes/{sku}", static (string sku, QuoteClient quotes, CancellationToken cancellationToken) =>
    quotes.GetQuoteAsync(sku, cancellationToken));
app.MapGet("/rates/{currency}", static (string currency, ExchangeRates rates) => rates.GetRate(currency));
app.MapGet("/breakers", static (CircuitBreakerRegistry registry) => Results.Text(registry.GetSummary().ToString()));
app.MapHealthChecks("/health");

// The monitor: JSON under /circuit-breakers and the live dashboard at /circuit-breakers/dashboard.
app.MapCircuitBreakerMonitor();
app.MapCircuitBreakerManagement().RequireAuthorization("breaker-admin");

app.Run();
