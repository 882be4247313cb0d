using System;
using System.Threading;
using Breaker;
using Breaker.Samples.Web;
using Breaker.Samples.Web.Downstream;
using Breaker.Samples.Web.Quotes;
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

WebApplication app = builder.Build();

app.Services.GetRequiredService<FlakyDownstream>().Map(app);
app.MapGet("/quotes/{sku}", static (string sku, QuoteClient quotes, CancellationToken cancellationToken) =>
    quotes.GetQuoteAsync(sku, cancellationToken));
app.MapGet("/breakers", static (CircuitBreakerRegistry registry) => Results.Text(registry.GetSummary().ToString()));
app.MapHealthChecks("/health");

app.Run();
