using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Breaker.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Breaker.Runtime.Tests;

/// <summary>
/// Drives a real keyed group (in a registry of its own, or through <see cref="CircuitBreakerRegistry.Default"/> inside a
/// test scope) and a model of it (one <see cref="ReferenceModel"/> per key, the bound, the idle rule, the scan once a
/// second) with the same seeded random operations: lookups, calls that stay in flight across evictions, time, reloads of
/// the group's limits, changes by hand and collections. After every step it checks the invariants docs/semantics.md lists
/// under "Keyed groups and scopes". <c>BREAKER_MODEL_SEQUENCES</c> sets how many sequences run (scripts/flake-hunt.sh --long).
/// </summary>
public sealed class KeyedModelBasedTests
{
    private const int DefaultSequences = 10_000;
    private const int StepsPerSequence = 80;
    private const int Keys = 6;
    private static readonly TimeSpan Rescan = TimeSpan.FromSeconds(1);
    private static readonly string[] DefaultGroups = ["model-keyed-0", "model-keyed-1", "model-keyed-2"];

    public static int Sequences =>
        int.TryParse(Environment.GetEnvironmentVariable("BREAKER_MODEL_SEQUENCES"), out int n) && n > 0 ? n : DefaultSequences;

    [Fact]
    public void A_keyed_group_matches_its_model_over_random_sequences_alone_and_in_scopes()
    {
        for (int seed = 0; seed < Sequences; seed++)
        {
            new Sequence(seed).Run();
        }
    }

    [Fact]
    public async Task Scopes_made_and_disposed_on_several_threads_never_see_each_others_keys()
    {
        const int Threads = 4;
        const int ScopesPerThread = 150;
        string name = TestBreakers.UniqueName("scoped-threads");
        CircuitBreakerKeys<int> shared = CircuitBreakerRegistry.Default.GetOrAddGroup<int>(name, static o => { o.MaxKeys = 3; o.ConsecutiveFailureThreshold = 1; });

        Task[] threads = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < ScopesPerThread; i++)
            {
                var time = new FakeTimeProvider();
                using var scope = new CircuitBreakerScope(time);
                int mine = (t * 1_000_000) + i;
                CircuitBreaker first = CircuitBreakerScope.Resolve(shared.GetBreaker(mine));
                Assert.Equal(name + ":" + mine, first.Name);
                Assert.Equal(CircuitState.Closed, first.State);

                // Other threads' keys are other scopes': this scope has none of them, and its bound is its own.
                Assert.Equal(1, Assert.Single(scope.Registry.Groups).Count);
                CircuitBreakerScope.Resolve(shared.GetBreaker(mine + 1)).Fail();
                CircuitBreakerScope.Resolve(shared.GetBreaker(mine + 2));
                Assert.Same(CircuitBreakerScope.Resolve(shared.GetSharedBreaker()), CircuitBreakerScope.Resolve(shared.GetBreaker(mine + 3)));
                Assert.Equal(CircuitState.Closed, CircuitBreakerScope.Resolve(shared.GetSharedBreaker()).State);
                Assert.All(scope.Registry, b => Assert.StartsWith(name + ":", b.Name, StringComparison.Ordinal));
                Assert.True(scope.Registry.All(b => b.Name == name + ":*" || int.Parse(b.Name[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture) / 1_000_000 == t));
            }
        })).ToArray();

        await Task.WhenAll(threads).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, shared.Group.Count);
        Assert.Null(shared.Group.SharedBreaker);
    }

    private sealed class Sequence
    {
        private readonly int _seed;
        private readonly Random _random;
        private readonly FakeTimeProvider _time = new();
        private readonly StringBuilder _trace = new();
        private readonly Dictionary<int, (CircuitBreaker Real, ReferenceModel Model, long LastUsed)> _live = [];
        private readonly List<(int? Key, CircuitBreaker Real, CircuitPermit Permit, ReferenceModel Model, ReferenceModel.Permit Expected)> _pending = [];
        private readonly List<ReferenceModel> _everyModel = [];
        private readonly List<(int? Key, CircuitBreaker Held)> _looked = [];
        private readonly CircuitBreakerOptions _keyOptions;
        private CircuitBreaker? _sharedReal;
        private ReferenceModel? _sharedModel;
        private int _maxKeys;
        private TimeSpan _idle;
        private long _nextScan;
        private long _evictions;
        private long _publishedSuccesses;
        private long _publishedFailures;

        public Sequence(int seed)
        {
            _seed = seed;
            _random = new Random(seed);
            _time.Advance(TimeSpan.FromTicks(_random.Next(0, 1_000_000)));
            _maxKeys = _random.Next(1, 5);
            _idle = TimeSpan.FromMilliseconds(_random.Next(1, 3000));
            _keyOptions = new CircuitBreakerOptions
            {
                ConsecutiveFailureThreshold = _random.Next(1, 3),
                MinimumThroughput = 100,
                SlidingWindowSize = 100,
                BreakDuration = TimeSpan.FromMilliseconds(_random.Next(1, 2500)),
                SuccessThreshold = _random.Next(1, 3),
                SlowCallDuration = TimeSpan.FromMinutes(10),
            };
        }

        public void Run()
        {
            // Half the sequences run in a test scope, through a group of the default registry: what the scope's group does
            // must match the model, and nothing may reach the default registry's group.
            bool scoped = _seed % 2 == 1;
            string name = scoped ? DefaultGroups[_seed % DefaultGroups.Length] : "model";
            CircuitBreakerScope? scope = scoped ? new CircuitBreakerScope(_time) : null;
            CircuitBreakerRegistry registry = scope?.Registry ?? new CircuitBreakerRegistry(_time);
            CircuitBreakerKeys<int> keys = scoped ? CircuitBreakerRegistry.Default.GetOrAddGroup<int>(name) : registry.GetOrAddGroup<int>(name);
            (int defaultCount, CircuitBreaker? defaultShared) = scoped ? (keys.Group.Count, keys.Group.SharedBreaker) : (0, null);
            try
            {
                Reload(registry, name);
                _trace.AppendLine($"scoped={scoped} maxKeys={_maxKeys} idle={_idle.TotalMilliseconds}ms consecutive={_keyOptions.ConsecutiveFailureThreshold} break={_keyOptions.BreakDuration.TotalMilliseconds}ms");
                CircuitBreakerGroup group = scoped ? CircuitBreakerScope.StandInGroup(keys.Group)! : keys.Group;
                Assert.Same(registry, group.Registry);
                for (int step = 0; step < StepsPerSequence; step++)
                {
                    Step(step, keys, group, registry, name);
                    CheckInvariants(step, keys, group);
                }

                if (scoped)
                {
                    // No scope sees another's keys: the default registry's group is as it was.
                    Check(-1, defaultCount, keys.Group.Count, "default group's key count");
                    Check(-1, defaultShared, keys.Group.SharedBreaker, "default group's shared breaker");
                }
            }
            finally
            {
                foreach ((_, _, CircuitPermit permit, _, _) in _pending)
                {
                    permit.RecordIgnored();
                }

                scope?.Dispose();
            }
        }

        private void Step(int step, CircuitBreakerKeys<int> keys, CircuitBreakerGroup group, CircuitBreakerRegistry registry, string name)
        {
            long now = _time.GetTimestamp();
            int dice = _random.Next(100);
            if (dice < 40 && _looked.Count > 0 && _random.Next(3) == 0)
            {
                // A breaker looked up some steps ago asks for its permit now: it goes to the breaker its key has now.
                int index = _random.Next(_looked.Count);
                (int? key, CircuitBreaker held) = _looked[index];
                _looked.RemoveAt(index);
                CircuitPermit permit = held.TryAcquire();
                bool evicted = key is int k && held != _sharedReal && !(_live.TryGetValue(k, out (CircuitBreaker Real, ReferenceModel Model, long LastUsed) known) && known.Real == held);
                (CircuitBreaker real, ReferenceModel model) = evicted
                    ? Expect(step, keys, key, now, keys.TryGetBreaker(key!.Value, out CircuitBreaker? current) ? current : group.SharedBreaker!)
                    : (held, held == _sharedReal ? _sharedModel! : _live[key!.Value].Model);
                ReferenceModel.Permit expected = model.Acquire(now);
                _trace.AppendLine($"{step}: held {held.Name} for {Describe(key)} asks, now {real.Name} -> {expected.Kind}");
                Check(step, expected.IsGranted, permit.IsGranted, "permit granted to a breaker looked up before");
                if (permit.IsGranted)
                {
                    _pending.Add((key, real, permit, model, expected));
                }
            }
            else if (dice < 40 && _random.Next(4) == 0)
            {
                int? key = _random.Next(20) == 0 ? null : _random.Next(Keys);
                (CircuitBreaker held, _) = Lookup(step, keys, key, now);
                _trace.AppendLine($"{step}: look up {Describe(key)} -> {held.Name}, ask later");
                _looked.Add((key, held));
            }
            else if (dice < 40)
            {
                int? key = _random.Next(20) == 0 ? null : _random.Next(Keys);
                (CircuitBreaker real, ReferenceModel model) = Lookup(step, keys, key, now);
                CircuitPermit permit = real.TryAcquire();
                ReferenceModel.Permit expected = model.Acquire(now);
                _trace.AppendLine($"{step}: call {Describe(key)} on {real.Name} -> {expected.Kind}");
                Check(step, expected.IsGranted, permit.IsGranted, "permit granted");
                if (permit.IsGranted)
                {
                    _pending.Add((key, real, permit, model, expected));
                }
            }
            else if (dice < 70 && _pending.Count > 0)
            {
                int index = _random.Next(_pending.Count);
                (int? key, CircuitBreaker real, CircuitPermit permit, ReferenceModel model, ReferenceModel.Permit expected) = _pending[index];
                _pending.RemoveAt(index);
                switch (_random.Next(3))
                {
                    case 0:
                        _trace.AppendLine($"{step}: success of {Describe(key)}");
                        permit.RecordSuccess();
                        model.Succeed(expected, now);
                        break;
                    case 1:
                        _trace.AppendLine($"{step}: failure of {Describe(key)}");
                        permit.RecordFailure(null);
                        model.Fail(expected, now);
                        break;
                    default:
                        _trace.AppendLine($"{step}: ignored {Describe(key)}");
                        permit.RecordIgnored();
                        model.Ignore(expected);
                        break;
                }

                Check(step, model.ReadState(now), real.State, $"state of {real.Name}");
            }
            else if (dice < 88)
            {
                TimeSpan by = _random.Next(5) switch
                {
                    0 => _idle,
                    1 => Rescan,
                    2 => _keyOptions.BreakDuration,
                    3 => TimeSpan.FromTicks(1),
                    _ => TimeSpan.FromMilliseconds(_random.Next(0, 700)),
                };
                _trace.AppendLine($"{step}: advance {by.TotalMilliseconds}ms");
                _time.Advance(by);
            }
            else if (dice < 93)
            {
                _maxKeys = _random.Next(1, 5);
                _idle = TimeSpan.FromMilliseconds(_random.Next(1, 3000));
                _trace.AppendLine($"{step}: reload maxKeys={_maxKeys} idle={_idle.TotalMilliseconds}ms");
                Reload(registry, name);

                // A reload may make room at once: the next full lookup scans.
                _nextScan = 0;
            }
            else if (dice < 97 && _live.Count > 0)
            {
                int key = _live.Keys.ElementAt(_random.Next(_live.Count));
                (CircuitBreaker real, ReferenceModel model, _) = _live[key];
                bool isolate = _random.Next(2) == 0;
                _trace.AppendLine($"{step}: {(isolate ? "isolate" : "reset")} {key}");
                if (isolate)
                {
                    real.Isolate();
                    model.Isolate();
                }
                else
                {
                    real.Reset();
                    model.Reset();
                }
            }
            else
            {
                Collect(step, group);
            }
        }

        /// <summary>The model's lookup: the key's breaker, a new one (after a scan when full and due), or the shared one.</summary>
        private (CircuitBreaker Real, ReferenceModel Model) Lookup(int step, CircuitBreakerKeys<int> keys, int? key, long now) =>
            Expect(step, keys, key, now, key is int some ? keys.GetBreaker(some) : keys.GetSharedBreaker());

        /// <summary>What the model expects of a lookup of <paramref name="key"/> that returned <paramref name="real"/>.</summary>
        private (CircuitBreaker Real, ReferenceModel Model) Expect(int step, CircuitBreakerKeys<int> keys, int? key, long now, CircuitBreaker real)
        {
            if (key is int k)
            {
                if (_live.TryGetValue(k, out (CircuitBreaker Real, ReferenceModel Model, long LastUsed) known))
                {
                    Check(step, known.Real, real, $"breaker of key {k}");
                    _live[k] = (known.Real, known.Model, now);
                    return (real, known.Model);
                }

                if (_live.Count >= _maxKeys && now >= _nextScan)
                {
                    long idleBefore = now - _idle.Ticks;
                    int[] evicted = _live.Where(p => p.Value.LastUsed <= idleBefore && MayEvict(k: p.Key, p.Value.Model, now)).Select(static p => p.Key).ToArray();
                    foreach (int gone in evicted)
                    {
                        _trace.AppendLine($"{step}: model evicts {gone}");
                        _live.Remove(gone);
                    }

                    _evictions += evicted.Length;
                    _nextScan = now + Rescan.Ticks;
                }

                if (_live.Count < _maxKeys)
                {
                    Check(step, keys.Name + ":" + k, real.Name, "name of a new key's breaker");
                    var model = new ReferenceModel(_keyOptions.Clone());
                    _everyModel.Add(model);
                    _live[k] = (real, model, now);
                    return (real, model);
                }
            }

            Check(step, keys.Name + ":*", real.Name, $"breaker of {Describe(key)} (the shared one)");
            if (_sharedModel is null)
            {
                _sharedModel = new ReferenceModel(_keyOptions.Clone());
                _everyModel.Add(_sharedModel);
                _sharedReal = real;
            }

            Check(step, _sharedReal, real, "the shared breaker");
            return (real, _sharedModel);
        }

        /// <summary>Eviction's rule: no call in flight, not open before its break's end, not held by hand.</summary>
        private bool MayEvict(int k, ReferenceModel model, long now) =>
            !_pending.Any(p => p.Key == k && p.Model == model)
            && model.ReadState(now) is not (CircuitState.Open or CircuitState.Isolated or CircuitState.MetricsOnly);

        private void CheckInvariants(int step, CircuitBreakerKeys<int> keys, CircuitBreakerGroup group)
        {
            long now = _time.GetTimestamp();
            Check(step, _live.Count, group.Count, "live keys");
            Check(step, true, group.Count <= Math.Max(_maxKeys, _live.Count), "bound");
            Check(step, _evictions, group.Evictions, "evictions");
            foreach ((int key, (CircuitBreaker real, ReferenceModel model, _)) in _live)
            {
                // A key's breaker that is open or has a call in flight is never evicted: it is still the key's.
                Check(step, true, keys.TryGetBreaker(key, out CircuitBreaker? found) && ReferenceEquals(found, real), $"key {key} kept");
                CircuitBreakerMetrics metrics = real.GetMetrics();
                Check(step, model.ReadState(now), metrics.State, $"state of key {key}");
                Check(step, model.Successes, metrics.SuccessfulCalls, $"successes of key {key}");
                Check(step, model.Failures, metrics.FailedCalls, $"failures of key {key}");
                Check(step, model.Rejections, metrics.RejectedCalls, $"rejections of key {key}");
            }
        }

        /// <summary>A collection: the group's published counts never go back and are exactly the calls made on its keys.</summary>
        private void Collect(int step, CircuitBreakerGroup group)
        {
            var live = new List<CircuitBreaker>(group.GetBreakers());
            CallCounts counts = group.CallTotals.Read(live);
            long madeSuccesses = _everyModel.Where(m => m != _sharedModel).Sum(static m => m.Successes);
            long madeFailures = _everyModel.Where(m => m != _sharedModel).Sum(static m => m.Failures);
            long failures = counts.Failures.Sum();
            _trace.AppendLine($"{step}: collect {counts.Successes} successes, {failures} failures");
            Check(step, true, counts.Successes >= _publishedSuccesses && failures >= _publishedFailures, "published counts monotonic");
            Check(step, madeSuccesses, counts.Successes, "published successes");
            Check(step, madeFailures, failures, "published failures");
            _publishedSuccesses = counts.Successes;
            _publishedFailures = failures;
        }

        private void Reload(CircuitBreakerRegistry registry, string name)
        {
            CircuitBreakerOptions key = _keyOptions;
            int maxKeys = _maxKeys;
            TimeSpan idle = _idle;
            registry.Configure(name, o =>
            {
                o.MaxKeys = maxKeys;
                o.KeyIdleTimeout = idle;
                o.ConsecutiveFailureThreshold = key.ConsecutiveFailureThreshold;
                o.MinimumThroughput = key.MinimumThroughput;
                o.SlidingWindowSize = key.SlidingWindowSize;
                o.BreakDuration = key.BreakDuration;
                o.SuccessThreshold = key.SuccessThreshold;
                o.SlowCallDuration = key.SlowCallDuration;
            });
        }

        private static string Describe(int? key) => key is int k ? "key " + k : "no key";

        private void Check<T>(int step, T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
            {
                Assert.Fail($"Seed {_seed}, step {step}: {what} was {actual}, the model says {expected}.\n{_trace}");
            }
        }
    }
}
