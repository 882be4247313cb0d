using System.Text.Json.Serialization;
using Breaker.Samples.Web.Downstream;
using Breaker.Samples.Web.Quotes;
using Breaker.Samples.Web.Rates;

namespace Breaker.Samples.Web;

/// <summary>Every type the sample reads or writes as JSON, serialized by generated code (NativeAOT has no reflection-based JSON).</summary>
[JsonSerializable(typeof(Quote))]
[JsonSerializable(typeof(OutageStatus))]
[JsonSerializable(typeof(ExchangeRate))]
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
internal sealed partial class SampleJsonContext : JsonSerializerContext;
