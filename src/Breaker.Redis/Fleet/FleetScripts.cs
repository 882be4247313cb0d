using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Breaker.Fleet;

/// <summary>
/// The few conditional writes the fleet makes, each one step on the server. (StackExchange.Redis' own conditions and lock
/// helpers use WATCH, which also fails when only a key's expiry moved: the probing instance moves the break record's on
/// purpose, and Redis moves every expiry as time passes.)
/// </summary>
internal static class FleetScripts
{
    private const string CompareAndSetScript = """
        local current = redis.call('GET', KEYS[1])
        if (ARGV[1] == 'absent' and not current) or (ARGV[1] == 'equal' and current == ARGV[2]) then
          redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
          return 1
        end
        return 0
        """;

    private const string ExtendIfHeldScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """;

    private const string ReleaseIfHeldScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    /// <summary>Writes <paramref name="value"/> if the key still holds <paramref name="expected"/> (null: if it is absent).</summary>
    public static async Task<bool> CompareAndSetAsync(IDatabaseAsync db, string key, RedisValue expected, string value, TimeSpan timeToLive) =>
        (long)await db.ScriptEvaluateAsync(
            CompareAndSetScript,
            [key],
            [expected.IsNull ? "absent" : "equal", expected.IsNull ? RedisValue.EmptyString : expected, value, (long)timeToLive.TotalMilliseconds]).ConfigureAwait(false) == 1;

    /// <summary>Renews the lease if <paramref name="holder"/> still holds it.</summary>
    public static async Task<bool> ExtendLeaseAsync(IDatabaseAsync db, string key, string holder, TimeSpan lease) =>
        (long)await db.ScriptEvaluateAsync(ExtendIfHeldScript, [key], [holder, (long)lease.TotalMilliseconds]).ConfigureAwait(false) == 1;

    /// <summary>Gives the lease back if <paramref name="holder"/> still holds it.</summary>
    public static async Task<bool> ReleaseLeaseAsync(IDatabaseAsync db, string key, string holder) =>
        (long)await db.ScriptEvaluateAsync(ReleaseIfHeldScript, [key], [holder]).ConfigureAwait(false) == 1;
}
