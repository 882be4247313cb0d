using System.Collections.Generic;

namespace Breaker.Generator.Tests.Infrastructure;

/// <summary>User code for every shape the generator supports, each warning-free once its body is generated.</summary>
public static class Shapes
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Breaker;

        """;

    public static readonly IReadOnlyDictionary<string, string> Supported = new SortedDictionary<string, string>
    {
        ["SyncValueWithExceptionFallback"] = """
            namespace Shop;

            public sealed record Quote(string Sku, decimal Price);

            public partial class QuoteClient
            {
                [CircuitBreaker("quotes", Fallback = nameof(CachedQuote), FailureRatio = 0.5, BreakDurationMs = 30_000)]
                public partial Quote GetQuote(string sku);

                private Quote GetQuoteCore(string sku) => new(sku, 10m);

                private Quote CachedQuote(string sku, Exception error) => new(sku, 0m);
            }
            """,

        ["SyncVoidWithoutFallback"] = """
            namespace Jobs;

            internal static partial class Worker
            {
                [CircuitBreaker("jobs", MinimumThroughput = 5, SlidingWindowSize = 20, ConsecutiveFailureThreshold = 3)]
                internal static partial void Run(int id);

                private static void RunCore(int id) => Console.WriteLine(id);
            }
            """,

        ["AsyncStreamsWithFallbackTimeoutAndStatic"] = """
            namespace Feeds;

            public sealed record Entry(string Title);

            public partial class FeedClient
            {
                [CircuitBreaker("feeds", Fallback = nameof(Cached), TimeoutMs = 2_000, Ignores = [typeof(ArgumentException)])]
                public partial IAsyncEnumerable<Entry> ReadAsync(string feed, CancellationToken cancellationToken);

                [CircuitBreaker("feeds.count")]
                public static partial IAsyncEnumerable<int> CountAsync(int upTo);

                private async IAsyncEnumerable<Entry> ReadAsyncCore(string feed, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
                {
                    await Task.Delay(1, cancellationToken);
                    yield return new Entry(feed);
                }

                private static async IAsyncEnumerable<int> CountAsyncCore(int upTo)
                {
                    await Task.Yield();
                    yield return upTo;
                }

                private IAsyncEnumerable<Entry> Cached(string feed, CancellationToken cancellationToken, IOException error) => Empty();

                private IAsyncEnumerable<Entry> Cached(Exception error) => Empty();

                private static async IAsyncEnumerable<Entry> Empty()
                {
                    await Task.Yield();
                    yield break;
                }
            }
            """,

        ["TaskOfTWithTokenAndTimeout"] = """
            namespace Shop;

            public sealed record Quote(string Sku, decimal Price);

            public partial class QuoteClient
            {
                [CircuitBreaker("quotes", Fallback = nameof(CachedQuote), TimeoutMs = 2_000, SamplingDurationMs = 10_000)]
                public partial Task<Quote> GetQuoteAsync(string sku, CancellationToken cancellationToken);

                private async Task<Quote> GetQuoteAsyncCore(string sku, CancellationToken cancellationToken)
                {
                    await Task.Delay(1, cancellationToken);
                    return new Quote(sku, 10m);
                }

                private Quote CachedQuote(string sku, CancellationToken cancellationToken, Exception error) => new(sku, 0m);
            }
            """,

        ["TaskWithoutResult"] = """
            namespace Mail;

            public partial class Mailer
            {
                [CircuitBreaker("smtp", Fallback = nameof(Queue))]
                public partial Task SendAsync(string to, CancellationToken cancellationToken = default);

                private Task SendAsyncCore(string to, CancellationToken cancellationToken) => Task.CompletedTask;

                private Task Queue(string to, CancellationToken cancellationToken) => Task.CompletedTask;
            }
            """,

        ["ValueTaskWithVoidFallback"] = """
            namespace Cache;

            public partial class Warmer
            {
                [CircuitBreaker("warm", Fallback = nameof(Skip), SuccessThreshold = 1)]
                public partial ValueTask WarmAsync(int region);

                private ValueTask WarmAsyncCore(int region) => default;

                private static void Skip() { }
            }
            """,

        ["ValueTaskOfTWithoutTokenAndTimeout"] = """
            namespace Cache;

            public partial class Reader
            {
                [CircuitBreaker("reader", Fallback = nameof(ReadFallback), TimeoutMs = 500, SlowCallDurationMs = 200, SlowCallRatio = 0.25)]
                public partial ValueTask<int> ReadAsync(string key);

                private ValueTask<int> ReadAsyncCore(string key) => new(key.Length);

                private ValueTask<int> ReadFallback(string key) => new(-1);
            }
            """,

        ["ExceptionTypesNamedLikeKeywords"] = """
            namespace Odd;

            public sealed class Default : Exception { }

            public sealed class Await : Exception { }

            public partial class Worker
            {
                [CircuitBreaker("odd", Fallback = nameof(Fallback))]
                public partial Task<int> RunAsync(CancellationToken cancellationToken);

                private Task<int> RunAsyncCore(CancellationToken cancellationToken) => Task.FromResult(1);

                private static int Fallback(Default error) => -1;

                private static int Fallback(Await error) => -2;

                [CircuitBreaker("odd-sync", Fallback = nameof(SyncFallback))]
                public partial int Run();

                private int RunCore() => 1;

                private static int SyncFallback(Default error) => -1;
            }
            """,

        ["FallbackOverloadsByExceptionType"] = """
            namespace Net;

            public partial class Downloader
            {
                [CircuitBreaker("downloads", Fallback = nameof(Fallback))]
                public partial Task<string> DownloadAsync(Uri uri);

                private Task<string> DownloadAsyncCore(Uri uri) => Task.FromResult(uri.ToString());

                private static string Fallback(Uri uri, FileNotFoundException error) => "missing";

                private static Task<string> Fallback(IOException error) => Task.FromResult("io");

                private static string Fallback(Uri uri, BrokenCircuitException error) => "open";

                private static string Fallback() => "unknown";
            }
            """,

        ["HandlesIgnoresFailureWhen"] = """
            namespace Net;

            public sealed record Response(int Status);

            public partial class Api
            {
                [CircuitBreaker("api", Handles = new[] { typeof(IOException), typeof(TimeoutException) }, Ignores = new[] { typeof(FileNotFoundException) }, FailureWhen = nameof(IsServerError))]
                public partial Response Send(string path);

                private Response SendCore(string path) => new(200);

                private static bool IsServerError(Response response) => response.Status >= 500;
            }
            """,

        ["AsyncInstanceFallbackAndPredicate"] = """
            namespace Net;

            public partial class Poller
            {
                private readonly int _default = 7;

                [CircuitBreaker("poller", Fallback = nameof(Fallback), FailureWhen = nameof(IsBad))]
                public partial Task<int> PollAsync(string source, CancellationToken cancellationToken);

                private Task<int> PollAsyncCore(string source, CancellationToken cancellationToken) => Task.FromResult(source.Length);

                private Task<int> Fallback(string source, CancellationToken cancellationToken, Exception? error) => Task.FromResult(_default);

                private bool IsBad(int value) => value == _default;
            }
            """,

        ["GenericMethodWithConstraints"] = """
            namespace Data;

            public partial class Repository
            {
                [CircuitBreaker("repository", Fallback = nameof(Empty))]
                public partial TItem? Find<TItem, TKey>(TKey key)
                    where TItem : class, new()
                    where TKey : struct, IComparable<TKey>;

                private TItem? FindCore<TItem, TKey>(TKey key)
                    where TItem : class, new()
                    where TKey : struct, IComparable<TKey> => new TItem();

                private static TItem? Empty<TItem, TKey>(TKey key, Exception error)
                    where TItem : class, new()
                    where TKey : struct, IComparable<TKey> => null;

                [CircuitBreaker("repository")]
                public partial Task<T> LoadAsync<T>(string id) where T : notnull;

                private Task<T> LoadAsyncCore<T>(string id) where T : notnull => throw new NotSupportedException(id);
            }
            """,

        ["RefOutInParamsDefaults"] = """
            namespace Parsing;

            public partial class Tokenizer
            {
                [CircuitBreaker("tokenizer", Fallback = nameof(NoToken))]
                public partial bool TryRead(ref int position, out string token, in long limit, int retries = 3, params string[] separators);

                private bool TryReadCore(ref int position, out string token, in long limit, int retries, params string[] separators)
                {
                    token = separators.Length > 0 ? separators[0] : string.Empty;
                    position += retries;
                    return position < limit;
                }

                private static bool NoToken(ref int position, out string token, in long limit, int retries, string[] separators, Exception error)
                {
                    token = string.Empty;
                    return false;
                }
            }
            """,

        ["SpanParameters"] = """
            namespace Parsing;

            public static partial class Checksum
            {
                [CircuitBreaker("checksum", Fallback = nameof(Zero))]
                public static partial int Compute(ReadOnlySpan<byte> data, Span<byte> scratch);

                private static int ComputeCore(ReadOnlySpan<byte> data, Span<byte> scratch)
                {
                    data.CopyTo(scratch);
                    return data.Length;
                }

                private static int Zero(ReadOnlySpan<byte> data, Span<byte> scratch) => 0;

                [CircuitBreaker("checksum")]
                public static partial int Peek(ref readonly int value, scoped Span<int> buffer);

                private static int PeekCore(ref readonly int value, scoped Span<int> buffer) => value + buffer.Length;
            }
            """,

        ["NestedGenericContainingTypes"] = """
            namespace Deep;

            public partial class Outer<T>
            {
                internal partial struct Middle<U>
                {
                    private partial record Inner
                    {
                        public readonly partial record struct Leaf<V>(V Value)
                        {
                            [CircuitBreaker("leaf")]
                            public partial V Get(T first, U second);

                            private V GetCore(T first, U second) => Value;

                            [CircuitBreaker("leaf")]
                            public static partial Task<V> GetAsync(V value);

                            private static Task<V> GetAsyncCore(V value) => Task.FromResult(value);

                            [CircuitBreaker("leaf", Fallback = nameof(Fallback))]
                            public partial Task<V> LoadAsync(CancellationToken cancellationToken);

                            private Task<V> LoadAsyncCore(CancellationToken cancellationToken) => Task.FromResult(Value);

                            private V Fallback(Exception error) => Value;
                        }
                    }
                }
            }

            public ref partial struct Cursor
            {
                [CircuitBreaker("cursor")]
                public partial int Next();

                private int NextCore() => 1;
            }
            """,

        ["Overloads"] = """
            namespace Overloaded;

            public partial class Calculator
            {
                [CircuitBreaker("calc")]
                public partial int Add(int a, int b);

                [CircuitBreaker("calc")]
                public partial double Add(double a, double b);

                private int AddCore(int a, int b) => a + b;

                private double AddCore(double a, double b) => a + b;
            }
            """,

        ["BreakDurationHookAndJitter"] = """
            namespace Limits;

            public sealed class RateLimitedException(TimeSpan retryAfter) : Exception("rate limited")
            {
                public TimeSpan RetryAfter { get; } = retryAfter;
            }

            public partial class Partner
            {
                [CircuitBreaker("partner", BreakDurationHook = nameof(ChooseBreak), BreakJitterRatio = 0.1, BreakDurationMultiplier = 2, MaxBreakDurationMs = 600_000)]
                public partial Task<string> SendAsync(string message, CancellationToken cancellationToken);

                [CircuitBreaker("partner-quiet", BreakDurationHook = nameof(ChooseBreak))]
                public static partial void Ping();

                private Task<string> SendAsyncCore(string message, CancellationToken cancellationToken) => Task.FromResult(message);

                private static void PingCore() { }

                // What the partner asked for when it said so in its exception; the breaker's default otherwise.
                private static TimeSpan? ChooseBreak(BreakContext context) =>
                    context.Exception is RateLimitedException limited ? limited.RetryAfter : null;
            }
            """,

        ["ExtensionMethod"] = """
            namespace Extensions;

            public static partial class StringExtensions
            {
                [CircuitBreaker("strings", Implementation = nameof(CountWords))]
                public static partial int WordCount(this string text);

                private static int CountWords(string text) => text.Split(' ').Length;
            }
            """,

        ["Accessibilities"] = """
            namespace Access;

            public partial class Service
            {
                [CircuitBreaker("access")]
                public partial int PublicCall();

                [CircuitBreaker("access")]
                internal partial int InternalCall();

                [CircuitBreaker("access")]
                protected partial int ProtectedCall();

                [CircuitBreaker("access")]
                protected internal partial int ProtectedInternalCall();

                [CircuitBreaker("access")]
                private protected partial int PrivateProtectedCall();

                [CircuitBreaker("access")]
                private partial int PrivateCall();

                [CircuitBreaker("access")]
                partial void ImplicitlyPrivate();

                public virtual int Sum() => PublicCall() + InternalCall() + ProtectedCall() + ProtectedInternalCall() + PrivateProtectedCall() + PrivateCall();

                public void Touch() => ImplicitlyPrivate();

                private int PublicCallCore() => 1;
                private int InternalCallCore() => 1;
                private int ProtectedCallCore() => 1;
                private int ProtectedInternalCallCore() => 1;
                private int PrivateProtectedCallCore() => 1;
                private int PrivateCallCore() => 1;
                private void ImplicitlyPrivateCore() { }
            }
            """,

        ["ParameterNamesLikeGeneratedLocals"] = """
            namespace Naming;

            public partial class Collisions
            {
                [CircuitBreaker("collisions", Fallback = nameof(Fallback))]
                public partial Task<int> RunAsync(int permit, int result, int task, string exception, TimeSpan timeout, string breaker, CancellationToken token);

                private Task<int> RunAsyncCore(int permit, int result, int task, string exception, TimeSpan timeout, string breaker, CancellationToken token) =>
                    Task.FromResult(permit + result + task);

                private int Fallback(int permit, int result, int task, string exception, TimeSpan timeout, string breaker, CancellationToken token, IOException ioException) => permit;

                private int Fallback(int permit, int result, int task, string exception, TimeSpan timeout, string breaker, CancellationToken token) => result;
            }
            """,

        ["KeyedByParameter"] = """
            namespace Tenancy;

            public sealed record Quota(string Tenant, int Remaining);

            public enum Region { Europe, Asia }

            public partial class TenantClient
            {
                [CircuitBreaker("tenant-api", Key = nameof(tenantId), Fallback = nameof(Unlimited), MinimumThroughput = 5, SlidingWindowSize = 20)]
                public partial Quota GetQuota(string tenantId);

                private Quota GetQuotaCore(string tenantId) => new(tenantId, 10);

                private Quota Unlimited(string tenantId, Exception error) => new(tenantId, int.MaxValue);

                [CircuitBreaker("region-api", Key = nameof(region), TimeoutMs = 500)]
                public partial Task<int> CountAsync(Region? region, int breaker, CancellationToken cancellationToken);

                private Task<int> CountAsyncCore(Region? region, int breaker, CancellationToken cancellationToken) => Task.FromResult(breaker);
            }
            """,

        ["NullabilityAttributesOnAPartialMethod"] = """
            namespace Settings;

            using System.Diagnostics.CodeAnalysis;

            public partial class SettingsCache
            {
                [CircuitBreaker("settings", Fallback = nameof(NotFound))]
                public partial bool TryGet(string key, [NotNullWhen(true)] out string? value);

                [CircuitBreaker("settings.items")]
                public partial bool TryTake<T>(string key, [MaybeNullWhen(false)] out T item);

                private bool TryGetCore(string key, [NotNullWhen(true)] out string? value)
                {
                    value = key.Length > 0 ? key : null;
                    return value is not null;
                }

                private static bool NotFound(string key, [NotNullWhen(true)] out string? value, Exception error)
                {
                    value = null;
                    return false;
                }

                private bool TryTakeCore<T>(string key, [MaybeNullWhen(false)] out T item)
                {
                    item = default;
                    return false;
                }

                [CircuitBreaker("settings.normalize", Fallback = nameof(Blank))]
                public partial void Normalize([NotNull] ref string? text);

                private static void NormalizeCore([NotNull] ref string? text) => text = text?.Trim() ?? string.Empty;

                private static void Blank([NotNull] ref string? text) => text = string.Empty;

                [CircuitBreaker("settings.describe")]
                [return: NotNullIfNotNull(nameof(fallback))]
                public partial string? Describe(string key, string? fallback);

                [return: NotNullIfNotNull(nameof(fallback))]
                private string? DescribeCore(string key, string? fallback) => fallback;

                [CircuitBreaker("settings.fail")]
                [DoesNotReturn]
                public partial void Fail(string message);

                [DoesNotReturn]
                private void FailCore(string message) => throw new InvalidOperationException(message);
            }

            // Callers get the declaration's flow: no warning on value.Length.
            public static class SettingsReader
            {
                public static int Length(SettingsCache cache) => cache.TryGet("key", out string? value) ? value.Length : 0;

                public static int Normalized(SettingsCache cache, string? text)
                {
                    cache.Normalize(ref text);
                    return text.Length;
                }
            }
            """,

        ["NullableAnnotationsAndKeywords"] = """
            public partial class Lookup
            {
                [CircuitBreaker("lookup \"primary\"", Fallback = nameof(Missing), FailureRatio = 0.75)]
                public partial string? Find(string? @class, List<string?> items, Dictionary<string, int?>? result);

                private string? FindCore(string? @class, List<string?> items, Dictionary<string, int?>? result) => @class;

                private static string? Missing() => null;
            }
            """,
    };

    /// <summary>Decorator classes: every member shape an interface can have, and every per-member choice.</summary>
    public static readonly IReadOnlyDictionary<string, string> Decorators = new SortedDictionary<string, string>
    {
        ["DecoratorWithAClassBreakDurationHook"] = """
            namespace Shop;

            public interface IRates
            {
                decimal Rate(string currency);

                Task<decimal> RateAsync(string currency, CancellationToken cancellationToken);
            }

            [CircuitBreaker("rates", PerMethod = true, BreakDurationHook = nameof(LongerAfterTimeouts))]
            public sealed partial class RatesBreaker : IRates
            {
                private static TimeSpan? LongerAfterTimeouts(BreakContext context) =>
                    context.FailureKind == FailureKind.Timeout ? context.BreakDuration * 2 : null;
            }
            """,

        ["DecoratorOfEveryMemberShape"] = """
            namespace Vendor.Sdk
            {
                public sealed record Repo(string Name, int Stars);

                public interface IHealth
                {
                    bool Ping();

                    string Name { get; }
                }

                public interface IGitHubApi : IHealth
                {
                    event EventHandler<string>? RateLimited;

                    new string Name { get; }

                    string? Token { get; set; }

                    Repo this[int index] { get; }

                    void Clear();

                    int Count(string owner);

                    int Count(string owner, string @event);

                    bool TryGet(string name, out Repo? repo);

                    Task RefreshAsync(CancellationToken cancellationToken);

                    Task<Repo> GetRepoAsync(string owner, string name, CancellationToken cancellationToken = default);

                    ValueTask StarAsync(string name);

                    ValueTask<IReadOnlyList<Repo>?> ListAsync(string owner);

                    IAsyncEnumerable<Repo> StreamReposAsync(string owner, CancellationToken cancellationToken);

                    Task<T> GetAsync<T>(string path, T fallback)
                        where T : class, new();
                }
            }

            namespace Shop
            {
                [CircuitBreaker("github", FailureRatio = 0.25, TimeoutMs = 5_000)]
                public sealed partial class GitHubApiBreaker : Vendor.Sdk.IGitHubApi;
            }
            """,

        ["DecoratorOfAGenericInterfaceWithNullabilityAttributes"] = """
            namespace Vendor.Store
            {
                using System.Diagnostics.CodeAnalysis;

                public interface IStore<T>
                {
                    [return: MaybeNull]
                    T Find(string key);

                    bool TryTake(string key, [MaybeNullWhen(false)] out T item);

                    void Put(string key, [DisallowNull] T item);

                    [return: NotNullIfNotNull(nameof(value))]
                    TValue? Echo<TValue>(TValue? value);

                    ValueTask<T?> PeekAsync(string key);

                    [MaybeNull]
                    T Current { get; }
                }
            }

            namespace Shop
            {
                [CircuitBreaker("store")]
                public sealed partial class StoreBreaker<T> : Vendor.Store.IStore<T>;

                public static class StoreReader
                {
                    public static int Length(StoreBreaker<string> store) => store.TryTake("key", out string? item) ? item.Length : 0;
                }
            }
            """,

        ["DecoratorOfNullabilityAttributes"] = """
            namespace Vendor.Cache
            {
                using System.Diagnostics.CodeAnalysis;

                public interface ICache
                {
                    bool TryGet(string key, [NotNullWhen(true)] out string? value);

                    bool TryPeek(string key, [MaybeNullWhen(false)] out string value);

                    [return: NotNullIfNotNull(nameof(fallback))]
                    string? Describe(string key, string? fallback);

                    void Normalize([NotNull] ref string? text);

                    void Store(string key, [AllowNull] string value);

                    void Remove([DisallowNull] string? key);

                    void Check([DoesNotReturnIf(false)] bool condition);

                    [DoesNotReturn]
                    void Fail(string message);

                    Task<string?> FindAsync([DisallowNull] string? key, CancellationToken cancellationToken);

                    [AllowNull]
                    string Title { get; set; }

                    [MaybeNull]
                    string Owner { get; }

                    string? this[[DisallowNull] string? key] { get; }
                }
            }

            namespace Shop
            {
                [CircuitBreaker("cache")]
                public sealed partial class CacheBreaker : Vendor.Cache.ICache;

                // Callers of the decorator's own type get the interface's flow: no warning on value.Length.
                public static class CacheReader
                {
                    public static int Length(CacheBreaker cache) => cache.TryGet("key", out string? value) ? value.Length : 0;
                }
            }
            """,

        ["DecoratorPerMethodWithCustomisedMembers"] = """
            namespace Shop;

            public sealed record User(string Login);

            public interface IUsers
            {
                Task<User> GetUserAsync(string login, CancellationToken cancellationToken);

                Task<int> CountAsync(CancellationToken cancellationToken);

                int Version();

                string Describe(User user);
            }

            [CircuitBreaker("users", PerMethod = true, Handles = [typeof(IOException)], BreakDurationMs = 10_000)]
            public sealed partial class UsersBreaker : IUsers
            {
                private readonly IUsers _users;

                public UsersBreaker(IUsers users, int retries)
                {
                    _users = users;
                    Retries = retries;
                }

                public int Retries { get; }

                [CircuitBreaker("users.get", Key = nameof(login), Fallback = nameof(Anonymous))]
                public partial Task<User> GetUserAsync(string login, CancellationToken cancellationToken);

                public partial int Version();

                public string Describe(User user) => user.Login;

                private static User Anonymous(string login, CancellationToken cancellationToken) => new("anonymous");
            }
            """,
    };
}
