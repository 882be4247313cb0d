using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Breaker.DependencyInjection;

/// <summary>Where the coordination's Redis connection comes from: given, registered in the container, or made from a connection string (then owned).</summary>
internal sealed class RedisConnectionSource
{
    private readonly ConfigurationOptions? _configuration;
    private readonly IConnectionMultiplexer? _connection;

    private RedisConnectionSource(ConfigurationOptions? configuration, IConnectionMultiplexer? connection)
    {
        _configuration = configuration;
        _connection = connection;
    }

    /// <summary>Whether the connection is made here, and so closed here when the host stops.</summary>
    public bool Owned => _configuration is not null;

    /// <summary>Parses the connection string at once, so a malformed one fails at registration rather than in the background.</summary>
    public static RedisConnectionSource FromConfiguration(string configuration)
    {
        ConfigurationOptions options = ConfigurationOptions.Parse(configuration);

        // Not failing on a first connect lets the application start, and run on local breakers, while Redis is away.
        options.AbortOnConnectFail = false;
        return new(options, null);
    }

    public static RedisConnectionSource FromConnection(IConnectionMultiplexer? connection) => new(null, connection);

    public async Task<IConnectionMultiplexer> ConnectAsync(IServiceProvider services)
    {
        if (_configuration is null)
        {
            return _connection ?? services.GetRequiredService<IConnectionMultiplexer>();
        }

        return await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
    }
}
