using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Breaker.Redis.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData(nameof(RedisCoordinationOptions.KeyPrefix))]
    [InlineData(nameof(RedisCoordinationOptions.InstanceId))]
    [InlineData(nameof(RedisCoordinationOptions.PublishInterval))]
    [InlineData(nameof(RedisCoordinationOptions.MissedPublishesBeforeLocal))]
    [InlineData(nameof(RedisCoordinationOptions.MinimumInstances))]
    [InlineData(nameof(RedisCoordinationOptions.ProbeLeaseDuration))]
    [InlineData(nameof(RedisCoordinationOptions.OperationTimeout))]
    [InlineData(nameof(RedisCoordinationOptions.Breakers))]
    [InlineData(nameof(RedisCoordinationOptions.MaxBreakers))]
    [InlineData(nameof(RedisCoordinationOptions.SigningKey))]
    [InlineData(nameof(RedisCoordinationOptions.AcceptedSigningKeys))]
    public void An_invalid_option_is_named_in_the_exception(string option)
    {
        var options = new RedisCoordinationOptions { KeyPrefix = "app" };
        switch (option)
        {
            case nameof(RedisCoordinationOptions.KeyPrefix): options.KeyPrefix = " "; break;
            case nameof(RedisCoordinationOptions.InstanceId): options.InstanceId = "a|b"; break;
            case nameof(RedisCoordinationOptions.PublishInterval): options.PublishInterval = TimeSpan.Zero; break;
            case nameof(RedisCoordinationOptions.MissedPublishesBeforeLocal): options.MissedPublishesBeforeLocal = 0; break;
            case nameof(RedisCoordinationOptions.MinimumInstances): options.MinimumInstances = 0; break;
            case nameof(RedisCoordinationOptions.ProbeLeaseDuration): options.ProbeLeaseDuration = options.PublishInterval; break;
            case nameof(RedisCoordinationOptions.OperationTimeout): options.OperationTimeout = TimeSpan.Zero; break;
            case nameof(RedisCoordinationOptions.Breakers): options.Breakers.Add(""); break;
            case nameof(RedisCoordinationOptions.MaxBreakers): options.MaxBreakers = 0; break;
            case nameof(RedisCoordinationOptions.SigningKey): options.SigningKey = "short"; break;
            case nameof(RedisCoordinationOptions.AcceptedSigningKeys): options.AcceptedSigningKeys.Add(new string('k', 32)); break;
        }

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(option, error.ParamName);
    }

    [Theory]
    [InlineData(nameof(RedisCoordinationOptions.PublishInterval))]
    [InlineData(nameof(RedisCoordinationOptions.MissedPublishesBeforeLocal))]
    [InlineData(nameof(RedisCoordinationOptions.MinimumInstances))]
    [InlineData(nameof(RedisCoordinationOptions.ProbeLeaseDuration))]
    [InlineData(nameof(RedisCoordinationOptions.OperationTimeout))]
    [InlineData(nameof(RedisCoordinationOptions.MaxBreakers))]
    [InlineData(nameof(RedisCoordinationOptions.InstanceId))]
    [InlineData(nameof(RedisCoordinationOptions.KeyPrefix))]
    public void An_option_past_its_sane_maximum_is_named_in_the_exception(string option)
    {
        var options = new RedisCoordinationOptions { KeyPrefix = "app" };
        switch (option)
        {
            case nameof(RedisCoordinationOptions.PublishInterval): options.PublishInterval = TimeSpan.FromHours(1); options.ProbeLeaseDuration = TimeSpan.FromHours(2); break;
            case nameof(RedisCoordinationOptions.MissedPublishesBeforeLocal): options.MissedPublishesBeforeLocal = 1_000_000; break;
            case nameof(RedisCoordinationOptions.MinimumInstances): options.MinimumInstances = 1_000_000; break;
            case nameof(RedisCoordinationOptions.ProbeLeaseDuration): options.ProbeLeaseDuration = TimeSpan.FromDays(1); break;
            case nameof(RedisCoordinationOptions.OperationTimeout): options.OperationTimeout = TimeSpan.FromDays(1); break;
            case nameof(RedisCoordinationOptions.MaxBreakers): options.MaxBreakers = int.MaxValue; break;
            case nameof(RedisCoordinationOptions.InstanceId): options.InstanceId = new string('a', 129); break;
            case nameof(RedisCoordinationOptions.KeyPrefix): options.KeyPrefix = "my app"; break;
        }

        ArgumentException error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void The_defaults_are_valid_once_a_prefix_is_set()
    {
        var options = new RedisCoordinationOptions { KeyPrefix = "app" };
        options.Validate();
        Assert.Equal(2, options.MinimumInstances);
        Assert.Equal(TimeSpan.FromSeconds(1), options.PublishInterval);
        Assert.NotEqual(new RedisCoordinationOptions().InstanceId, options.InstanceId);
    }

    [Fact]
    public async Task Before_Redis_ever_answers_a_breaker_probes_on_its_own()
    {
        // Nothing listens on port 1: the coordinator never reaches Redis, and the breaker keeps its local behaviour.
        await using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync("127.0.0.1:1,abortConnect=false,connectTimeout=200");
        var registry = new CircuitBreakerRegistry();
        await using var coordinator = new RedisFleetCoordinator(registry, connection, new RedisCoordinationOptions { KeyPrefix = "app" });
        coordinator.Start();
        CircuitBreaker breaker = registry.GetOrAdd("quotes");

        Assert.False(coordinator.IsCoordinating);
        Assert.NotNull(breaker.Coordinator); // attached although created after Start
        Assert.True(breaker.Coordinator!.MayStartProbing(breaker));
    }
}
