namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>The tests that share one redis-server; they run one after another, since some stop and restart it.</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "redis-server";
}
