using System.Linq;
using System.Threading.Tasks;
using Breaker.Generator.Analyzers;
using Breaker.Generator.CodeFixes;
using Breaker.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Tests.Analyzers;

/// <summary>Each code fix writes the expected code, which has no Breaker diagnostic left and compiles with the generator's output.</summary>
public class CodeFixTests
{
    [Fact]
    public Task Makes_the_method_and_every_containing_type_partial() => VerifyMakePartial(
        """
        public class Outer
        {
            internal partial class Middle
            {
                private sealed class Inner
                {
                    [CircuitBreaker("b")]
                    public int {|BRK0001:{|BRK0002:Get|}|}();

                    private int GetCore() => 1;
                }
            }
        }

        readonly struct Plain
        {
            [CircuitBreaker("b")]
            static int {|BRK0001:{|BRK0002:Next|}|}();

            private static int NextCore() => 1;
        }
        """,
        """
        public partial class Outer
        {
            internal partial class Middle
            {
                private sealed partial class Inner
                {
                    [CircuitBreaker("b")]
                    public partial int Get();

                    private int GetCore() => 1;
                }
            }
        }

        readonly partial struct Plain
        {
            [CircuitBreaker("b")]
            private static partial int Next();

            private static int NextCore() => 1;
        }
        """);

    [Fact]
    public Task Makes_a_decorator_and_the_type_containing_it_partial() => VerifyMakePartial(
        """
        public interface IQuotes
        {
            decimal GetPrice(string sku);
        }

        public class Outer
        {
            [CircuitBreaker("quotes")]
            public sealed class {|BRK0026:QuotesBreaker|} : IQuotes;
        }
        """,
        """
        public interface IQuotes
        {
            decimal GetPrice(string sku);
        }

        public partial class Outer
        {
            [CircuitBreaker("quotes")]
            public sealed partial class QuotesBreaker : IQuotes;
        }
        """);

    [Fact]
    public Task Forwards_a_member_the_generator_cannot_guard_to_the_generated_inner_field() => VerifyForwardMember(
        """
        public interface IBuffers
        {
            ref int Slot(int index);

            ref readonly int this[int index] { get; }

            int Count();
        }

        [CircuitBreaker("buffers")]
        public sealed partial class {|BRK0029:{|BRK0029:BuffersBreaker|}|} : IBuffers;
        """,
        """
        public interface IBuffers
        {
            ref int Slot(int index);

            ref readonly int this[int index] { get; }

            int Count();
        }

        [CircuitBreaker("buffers")]
        public sealed partial class BuffersBreaker : IBuffers
        {
            public ref int Slot(int index) => ref _inner.Slot(index);

            public ref readonly int this[int index] => ref _inner[index];
        }
        """);

    [Fact]
    public Task Forwards_members_of_a_generic_interface_to_the_decorators_own_field() => VerifyForwardMember(
        """
        public interface IStore<T>
        {
            Task FillAsync(ref T slot, CancellationToken cancellationToken);

            IAsyncEnumerator<T> Read<TKey>(TKey key) where TKey : notnull;

            T? Get(string key);
        }

        [CircuitBreaker("store")]
        public sealed partial class {|BRK0029:{|BRK0029:StoreBreaker|}|} : IStore<string>
        {
            private readonly IStore<string> _store;

            public StoreBreaker(IStore<string> store) => _store = store;
        }
        """,
        """
        public interface IStore<T>
        {
            Task FillAsync(ref T slot, CancellationToken cancellationToken);

            IAsyncEnumerator<T> Read<TKey>(TKey key) where TKey : notnull;

            T? Get(string key);
        }

        [CircuitBreaker("store")]
        public sealed partial class StoreBreaker : IStore<string>
        {
            private readonly IStore<string> _store;

            public StoreBreaker(IStore<string> store) => _store = store;

            public IAsyncEnumerator<string> Read<TKey>(TKey key) where TKey : notnull => _store.Read(key);

            public Task FillAsync(ref string slot, CancellationToken cancellationToken) => _store.FillAsync(ref slot, cancellationToken);
        }
        """);

    [Fact]
    public Task Moves_a_body_to_the_implementation_method() => VerifyMakePartial(
        """
        public partial class C
        {
            [CircuitBreaker("b")]
            public Task<int> {|BRK0001:{|BRK0004:GetAsync|}|}(string key, int retries = 3)
            {
                return Task.FromResult(key.Length + retries);
            }
        }
        """,
        """
        public partial class C
        {
            [CircuitBreaker("b")]
            public partial Task<int> GetAsync(string key, int retries = 3);

            private Task<int> GetAsyncCore(string key, int retries)
            {
                return Task.FromResult(key.Length + retries);
            }
        }
        """);

    [Fact]
    public Task Adds_the_missing_implementation() => VerifyAddMember(
        """
        public static partial class Text
        {
            [CircuitBreaker("b")]
            public static partial T? {|BRK0004:Find|}<T>(this IEnumerable<T> items, ref int position, params string[] keys) where T : class;
        }
        """,
        """
        public static partial class Text
        {
            [CircuitBreaker("b")]
            public static partial T? Find<T>(this IEnumerable<T> items, ref int position, params string[] keys) where T : class;

            private static T? FindCore<T>(IEnumerable<T> items, ref int position, string[] keys) where T : class => throw new NotImplementedException();
        }
        """);

    [Fact]
    public Task Adds_a_missing_fallback_that_returns_the_async_result() => VerifyAddMember(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|BRK0006:Fallback = "Cached"|})]
            public partial Task<List<string?>> GetAsync(string exception, CancellationToken ct = default);

            private Task<List<string?>> GetAsyncCore(string exception, CancellationToken ct) => Task.FromResult(new List<string?>());
        }
        """,
        """
        public partial class C
        {
            [CircuitBreaker("b", Fallback = "Cached")]
            public partial Task<List<string?>> GetAsync(string exception, CancellationToken ct = default);

            private List<string?> Cached(string exception, CancellationToken ct, Exception error) => throw new NotImplementedException();

            private Task<List<string?>> GetAsyncCore(string exception, CancellationToken ct) => Task.FromResult(new List<string?>());
        }
        """);

    [Fact]
    public Task Adds_a_fallback_overload_when_none_fits() => VerifyAddMember(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|BRK0009:Fallback = nameof(Skip)|})]
            public static partial ValueTask RunAsync(int id);

            private static ValueTask RunAsyncCore(int id) => default;

            private static void Skip(string reason) { }
        }
        """,
        """
        public partial class C
        {
            [CircuitBreaker("b", Fallback = nameof(Skip))]
            public static partial ValueTask RunAsync(int id);

            private static void Skip(int id, Exception exception) => throw new NotImplementedException();

            private static ValueTask RunAsyncCore(int id) => default;

            private static void Skip(string reason) { }
        }
        """);

    [Fact]
    public async Task Keys_by_one_of_the_parameters_that_could_be_a_key()
    {
        const string source = """
            public partial class C
            {
                [CircuitBreaker("b", {|BRK0022:Key = "tenant"|})]
                public partial int Get(string tenantId, object payload, int @class);

                private int GetCore(string tenantId, object payload, int @class) => 1;
            }
            """;
        const string byTenant = """
            public partial class C
            {
                [CircuitBreaker("b", Key = nameof(tenantId))]
                public partial int Get(string tenantId, object payload, int @class);

                private int GetCore(string tenantId, object payload, int @class) => 1;
            }
            """;

        await CodeFixVerifier<GuardedMethodAnalyzer, KeyParameterCodeFixProvider>.VerifyAsync(source, byTenant, "KeyParameterCodeFixProvider.tenantId");
        await CodeFixVerifier<GuardedMethodAnalyzer, KeyParameterCodeFixProvider>.VerifyAsync(
            source,
            byTenant.Replace("nameof(tenantId)", "nameof(@class)", System.StringComparison.Ordinal),
            "KeyParameterCodeFixProvider.class");
        AssertCompiles(byTenant);
    }

    private static async Task VerifyMakePartial(string source, string fixedSource)
    {
        await CodeFixVerifier<GuardedMethodAnalyzer, MakePartialCodeFixProvider>.VerifyAsync(source, fixedSource);
        AssertCompiles(fixedSource);
    }

    private static async Task VerifyAddMember(string source, string fixedSource)
    {
        await CodeFixVerifier<GuardedMethodAnalyzer, AddMemberCodeFixProvider>.VerifyAsync(source, fixedSource);
        AssertCompiles(fixedSource);
    }

    private static async Task VerifyForwardMember(string source, string fixedSource)
    {
        await CodeFixVerifier<GuardedMethodAnalyzer, ForwardMemberCodeFixProvider>.VerifyAsync(source, fixedSource);
        AssertCompiles(fixedSource);
    }

    /// <summary>The fixed code, with the generator's output, compiles without an error or a warning.</summary>
    private static void AssertCompiles(string fixedSource)
    {
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CompileShape(fixedSource));
        var problems = run.Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.NotEmpty(run.Result.GeneratedSources);
    }
}
