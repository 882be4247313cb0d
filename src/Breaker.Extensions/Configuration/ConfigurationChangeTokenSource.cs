using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Breaker.Configuration;

/// <summary>Tells <see cref="IOptionsMonitor{TOptions}"/> to rebuild the options when the configuration section reloads.</summary>
internal sealed class ConfigurationChangeTokenSource(IConfiguration section) : IOptionsChangeTokenSource<CircuitBreakerRegistryOptions>
{
    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => section.GetReloadToken();
}
