using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Breaker.Redis.Tests.Infrastructure;

/// <summary>
/// Moves Redis's clock for one application's keys along with a test's fake clock: every expiry under the prefix comes
/// that much closer (and a key whose time is up goes), as it would if the time had really passed. So a break's record,
/// a probe lease or an instance's counts expire when the fake clock says, not after real seconds.
/// </summary>
public static class RedisClock
{
    private const string Script = """
        local cursor = '0'
        local step = tonumber(ARGV[2])
        repeat
          local page = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000)
          cursor = page[1]
          for _, key in ipairs(page[2]) do
            local ttl = redis.call('PTTL', key)
            if ttl > 0 then
              if ttl <= step then redis.call('DEL', key) else redis.call('PEXPIRE', key, ttl - step) end
            end
          end
        until cursor == '0'
        return 0
        """;

    /// <summary>Ages every key under <paramref name="prefix"/> by <paramref name="step"/>; does nothing while Redis is down or paused.</summary>
    public static async Task AdvanceAsync(IConnectionMultiplexer connection, RedisServer redis, string prefix, TimeSpan step)
    {
        if (!redis.IsRunning || redis.IsPaused || step <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await connection.GetDatabase().ScriptEvaluateAsync(Script, values: [prefix + ":*", (long)step.TotalMilliseconds]);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            // Redis went away meanwhile: its keys went with it.
        }
    }
}
