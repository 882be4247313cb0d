using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace Breaker.AspNetCore.Tests.Infrastructure;

internal static class HttpJson
{
    /// <summary>Reads a response's body as JSON (what a client of the monitor would parse).</summary>
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
}
