using System.Threading.Tasks;
using Breaker.Generator.Diagnostics;
using Verify = Breaker.Generator.Tests.Infrastructure.AnalyzerVerifier<Breaker.Generator.Analyzers.GuardedMethodAnalyzer>;

namespace Breaker.Generator.Tests.Analyzers;

/// <summary>BRK0022-BRK0024: the parameter <c>Key</c> names must exist, be passed by value and compare by value.</summary>
public class KeyDiagnosticsTests
{
    [Fact]
    public Task A_key_that_names_no_parameter_lists_the_parameters_that_could_be_keys() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Key = "tenant"|})] public partial int Get(string tenantId, Guid requestId, object payload, CancellationToken ct);
            private int GetCore(string tenantId, Guid requestId, object payload, CancellationToken ct) => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.KeyParameterNotFound).WithLocation(0)
            .WithArguments("tenant", "Get", "'tenantId' or 'requestId'"));

    [Fact]
    public Task A_key_on_a_method_without_a_possible_key_says_so() => Verify.VerifyAsync(
        """
        public partial class C
        {
            [CircuitBreaker("b", {|#0:Key = "id"|})] public partial int Get(object payload);
            private int GetCore(object payload) => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.KeyParameterNotFound).WithLocation(0).WithArguments("id", "Get", "none of its parameters can be a key"));

    [Fact]
    public Task Keys_passed_by_reference_pointers_and_ref_structs_are_refused() => Verify.VerifyAsync(
        """
        public unsafe partial class C
        {
            [CircuitBreaker("a", {|#0:Key = nameof(id)|})] public partial int ByRef(ref int id);
            private int ByRefCore(ref int id) => id;

            [CircuitBreaker("b", {|#1:Key = nameof(id)|})] public partial int Out(out int id);
            private int OutCore(out int id) { id = 1; return id; }

            [CircuitBreaker("c", {|#2:Key = nameof(name)|})] public partial int Span(ReadOnlySpan<char> name);
            private int SpanCore(ReadOnlySpan<char> name) => name.Length;

            [CircuitBreaker("d", {|#3:Key = nameof(id)|})] public partial int {|#4:Pointer|}(int* id);
            private int PointerCore(int* id) => *id;

            [CircuitBreaker("e", Key = nameof(id))] public partial int In(in int id);
            private int InCore(in int id) => id;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.KeyParameterByReference).WithLocation(0).WithArguments("id", "ByRef", "passed by 'ref' (the call may change it)"),
        Verify.Diagnostic(DiagnosticDescriptors.KeyParameterByReference).WithLocation(1).WithArguments("id", "Out", "an 'out' parameter (it has no value when the call starts)"),
        Verify.Diagnostic(DiagnosticDescriptors.KeyParameterByReference).WithLocation(2).WithArguments("name", "Span", "a ref struct such as Span<T> (it cannot be stored)"),
        Verify.Diagnostic(DiagnosticDescriptors.KeyParameterByReference).WithLocation(3).WithArguments("id", "Pointer", "a pointer (it points at a value, it is not one)"),
        Verify.Diagnostic(DiagnosticDescriptors.UnsupportedMethod).WithLocation(4).WithArguments("Pointer", "its signature uses a pointer type"));

    [Fact]
    public Task Keys_that_compare_by_reference_are_refused_with_the_reason() => Verify.VerifyAsync(
        """
        public class Tenant { public string Id = ""; }
        public struct Shard { public int Number; }

        public partial class C
        {
            [CircuitBreaker("a", {|#0:Key = nameof(tenant)|})] public partial int ByClass(Tenant tenant);
            private int ByClassCore(Tenant tenant) => 1;

            [CircuitBreaker("b", {|#1:Key = nameof(shard)|})] public partial int ByStruct(Shard shard);
            private int ByStructCore(Shard shard) => 1;

            [CircuitBreaker("c", {|#2:Key = nameof(ids)|})] public partial int ByArray(int[] ids);
            private int ByArrayCore(int[] ids) => 1;

            [CircuitBreaker("d", {|#3:Key = nameof(key)|})] public partial int ByObject(object key);
            private int ByObjectCore(object key) => 1;

            [CircuitBreaker("e", {|#4:Key = nameof(items)|})] public partial int ByInterface(IEnumerable<int> items);
            private int ByInterfaceCore(IEnumerable<int> items) => 1;

            [CircuitBreaker("f", {|#5:Key = nameof(pair)|})] public partial int ByTuple((int Id, object Owner) pair);
            private int ByTupleCore((int Id, object Owner) pair) => 1;

            [CircuitBreaker("g", {|#6:Key = nameof(key)|})] public partial int Generic<T>(T key);
            private int GenericCore<T>(T key) => 1;
        }
        """,
        Verify.Diagnostic(DiagnosticDescriptors.KeyTypeWithoutValueEquality).WithLocation(0).WithArguments("tenant", "ByClass", "Tenant", "it compares by reference: each new instance would be a new key; use a record, implement IEquatable<T>, or key by one of its values"),
        Verify.Diagnostic(DiagnosticDescriptors.KeyTypeWithoutValueEquality).WithLocation(1).WithArguments("shard", "ByStruct", "Shard", "a struct without IEquatable<T> is compared by reflection, boxed on every call; implement IEquatable<T> or make it a record struct"),
        Verify.Diagnostic(DiagnosticDescriptors.KeyTypeWithoutValueEquality).WithLocation(2).WithArguments("ids", "ByArray", "int[]", "arrays compare by reference: each new array would be a new key"),
        Verify.Diagnostic(DiagnosticDescriptors.KeyTypeWithoutValueEquality).WithLocation(3).WithArguments("key", "ByObject", "object", "object compares by reference: each new object would be a new key"),
        Verify.Diagnostic(DiagnosticDescriptors.KeyTypeWithoutValueEquality).WithLocation(4).WithArguments("items", "ByInterface", "IEnumerable<int>", "its values may compare by reference (whatever type they turn out to be): each new instance would be a new key"),
        Verify.Diagnostic(DiagnosticDescriptors.KeyTypeWithoutValueEquality).WithLocation(5).WithArguments("pair", "ByTuple", "(int Id, object Owner)", "a tuple element has no value equality: object compares by reference: each new object would be a new key"),
        Verify.Diagnostic(DiagnosticDescriptors.KeyTypeWithoutValueEquality).WithLocation(6).WithArguments("key", "Generic", "T", "it depends on the type parameter 'T', whose equality is not known when the code is generated"));

    [Fact]
    public Task Keys_with_value_equality_are_accepted() => Verify.VerifyAsync(
        """
        public enum Region { Europe, Asia }
        public sealed record TenantId(string Value);
        public readonly record struct ShardId(int Value);
        public sealed class Sku : IEquatable<Sku>
        {
            public string Code { get; init; } = "";
            public bool Equals(Sku? other) => other?.Code == Code;
            public override bool Equals(object? obj) => Equals(obj as Sku);
            public override int GetHashCode() => Code.GetHashCode();
        }

        public partial class C<TEntity>
        {
            [CircuitBreaker("a", Key = nameof(tenant))] public partial int ByString(string? tenant);
            private int ByStringCore(string? tenant) => 1;
            [CircuitBreaker("b", Key = nameof(id))] public partial int ByNullableInt(int? id);
            private int ByNullableIntCore(int? id) => 1;
            [CircuitBreaker("c", Key = nameof(id))] public partial int ByGuid(Guid id);
            private int ByGuidCore(Guid id) => 1;
            [CircuitBreaker("d", Key = nameof(region))] public partial int ByEnum(Region region);
            private int ByEnumCore(Region region) => 1;
            [CircuitBreaker("e", Key = nameof(tenant))] public partial int ByRecord(TenantId tenant);
            private int ByRecordCore(TenantId tenant) => 1;
            [CircuitBreaker("f", Key = nameof(shard))] public partial int ByRecordStruct(ShardId shard);
            private int ByRecordStructCore(ShardId shard) => 1;
            [CircuitBreaker("g", Key = nameof(sku))] public partial int ByEquatable(Sku sku);
            private int ByEquatableCore(Sku sku) => 1;
            [CircuitBreaker("h", Key = nameof(pair))] public partial Task<int> ByTupleAsync((Region Region, long Shard) pair, TEntity entity);
            private Task<int> ByTupleAsyncCore((Region Region, long Shard) pair, TEntity entity) => Task.FromResult(1);
            [CircuitBreaker("i", Key = nameof(at))] public partial int ByDate(in DateTimeOffset at);
            private int ByDateCore(in DateTimeOffset at) => 1;
        }
        """);
}
