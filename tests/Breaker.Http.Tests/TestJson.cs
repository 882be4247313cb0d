using System.Text.Json;
using System.Text.Json.Serialization;

namespace Breaker.Http.Tests;

public sealed record Item(int Id, string Name);

[JsonSerializable(typeof(Item))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
public sealed partial class TestJson : JsonSerializerContext;
