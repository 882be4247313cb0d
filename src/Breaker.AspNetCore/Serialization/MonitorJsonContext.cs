using System.Text.Json;
using System.Text.Json.Serialization;
using Breaker.AspNetCore.Contracts;

namespace Breaker.AspNetCore.Serialization;

/// <summary>Source-generated JSON for the monitor's answers: camelCase names, enums as their names, no reflection.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    Converters =
    [
        typeof(JsonStringEnumConverter<CircuitState>),
        typeof(JsonStringEnumConverter<MonitorHealthStatus>),
        typeof(JsonStringEnumConverter<CircuitBreakerEventKind>),
        typeof(JsonStringEnumConverter<CircuitTransitionReason>),
    ])]
[JsonSerializable(typeof(MonitorSummary))]
[JsonSerializable(typeof(BreakerDetails))]
[JsonSerializable(typeof(MonitorTotals))]
[JsonSerializable(typeof(MonitorHealth))]
[JsonSerializable(typeof(MonitorProblem))]
[JsonSerializable(typeof(MonitorEvents))]
[JsonSerializable(typeof(FailureRateHistoryView))]
internal sealed partial class MonitorJsonContext : JsonSerializerContext;
