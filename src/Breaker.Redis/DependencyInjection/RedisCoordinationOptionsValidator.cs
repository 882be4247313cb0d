using System;
using Microsoft.Extensions.Options;

namespace Breaker.DependencyInjection;

/// <summary>Reports invalid <see cref="RedisCoordinationOptions"/> when the host starts (with ValidateOnStart) or when they are first read.</summary>
internal sealed class RedisCoordinationOptionsValidator : IValidateOptions<RedisCoordinationOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisCoordinationOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
