using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Breaker.Generator.Diagnostics;
using Breaker.Generator.Model;
using Breaker.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.Analyzers;

/// <summary>Turns a <see cref="ParseFailure"/> into the diagnostic that explains it, at the place it is about.</summary>
internal static class FailureDiagnostics
{
    /// <summary>
    /// The diagnostic for <paramref name="failure"/>, or <see langword="null"/> for failures the compiler already reports
    /// (an attribute or a declaration with errors).
    /// </summary>
    public static Diagnostic? Create(ParseFailure failure, IMethodSymbol method, AttributeData attribute, KnownTypes known, CancellationToken cancellationToken)
    {
        string name = method.Name;
        string member = failure.Detail ?? string.Empty;
        Location location = failure.Argument is null
            ? MethodLocation(method, cancellationToken)
            : AttributeLocations.Of(attribute, failure.Argument, failure.ArgumentItem, cancellationToken);
        switch (failure.Reason)
        {
            case ParseFailureReason.InvalidAttribute:
            case ParseFailureReason.InvalidDeclaration:
                return null;
            case ParseFailureReason.NotPartialDefinition:
                return Diagnostic.Create(DiagnosticDescriptors.MethodNotPartial, location, name, WhyNotPartial(method, cancellationToken));
            case ParseFailureReason.ContainingTypeNotPartial:
                return Diagnostic.Create(DiagnosticDescriptors.ContainingTypeNotPartial, location, name, SignatureText.Join(failure.Values.Select(t => "'" + t + "'").ToList(), "and"));
            case ParseFailureReason.UnsupportedContainingType:
                return Unsupported(location, name, "it is declared in '" + member + "', which is not a class, struct or record");
            case ParseFailureReason.RefReturn:
                return Unsupported(location, name, "it returns by reference");
            case ParseFailureReason.AsyncEnumerator:
                return Unsupported(location, name, "it returns an async enumerator; guarded methods return void, a value, Task, Task<T>, ValueTask, ValueTask<T> or IAsyncEnumerable<T>");
            case ParseFailureReason.PointerType:
                return Unsupported(location, name, "its signature uses a pointer type");
            case ParseFailureReason.AsyncByRefParameter:
                return Unsupported(ParameterLocation(method, member) ?? location, name, "parameter '" + member + "' is by reference or a ref struct, which an async call cannot keep across an await");
            case ParseFailureReason.AsyncMethodOnRefStruct:
                return Unsupported(location, name, "it is an async instance method of a ref struct, which an async call cannot keep across an await");
            case ParseFailureReason.AsyncStreamOnStruct:
                return Unsupported(location, name, "it is an instance method of a struct that returns an async stream, whose enumeration cannot reach the struct; make it static or move it to a class");
            case ParseFailureReason.ImplementationNotFound:
                return Diagnostic.Create(DiagnosticDescriptors.ImplementationNotFound, location, MemberName(member), member, name, "private " + SignatureText.Implementation(method, member));
            case ParseFailureReason.ImplementationSignatureMismatch:
                return Diagnostic.Create(DiagnosticDescriptors.ImplementationSignatureMismatch, location, member, name, SignatureText.Implementation(method, member));
            case ParseFailureReason.ImplementationNotStatic:
                return Diagnostic.Create(DiagnosticDescriptors.MemberNotStatic, location, "implementation", member, name);
            case ParseFailureReason.FallbackNotFound:
                return Diagnostic.Create(DiagnosticDescriptors.FallbackNotFound, location, MemberName(member), member, name, SignatureText.FallbackShapes(method, member, Shape(method, known)));
            case ParseFailureReason.FallbackNotMethod:
                return Diagnostic.Create(DiagnosticDescriptors.FallbackNotMethod, location, member, name, failure.Values[0]);
            case ParseFailureReason.FallbackSignatureMismatch:
                return Diagnostic.Create(DiagnosticDescriptors.FallbackSignatureMismatch, location, MemberName(member), member, name, SignatureText.FallbackShapes(method, member, Shape(method, known)));
            case ParseFailureReason.FallbackReturnTypeMismatch:
                return Diagnostic.Create(DiagnosticDescriptors.FallbackReturnTypeMismatch, location, failure.Values[0], failure.Values[1], name, SignatureText.FallbackReturns(method, Shape(method, known)));
            case ParseFailureReason.FallbackNotStatic:
                return Diagnostic.Create(DiagnosticDescriptors.MemberNotStatic, location, "fallback", failure.Values[0], name);
            case ParseFailureReason.FallbackAmbiguous:
                return Diagnostic.Create(DiagnosticDescriptors.FallbackAmbiguous, location, name, failure.Values[0], failure.Values[1]);
            case ParseFailureReason.FailureWhenNotFound:
                return Diagnostic.Create(DiagnosticDescriptors.FailureWhenNotFound, location, member, name, ResultType(method, known));
            case ParseFailureReason.FailureWhenSignatureMismatch:
                return Diagnostic.Create(DiagnosticDescriptors.FailureWhenSignatureMismatch, location, member, name, ResultType(method, known));
            case ParseFailureReason.FailureWhenNotStatic:
                return Diagnostic.Create(DiagnosticDescriptors.MemberNotStatic, location, "FailureWhen predicate", member, name);
            case ParseFailureReason.FailureWhenWithoutResult:
                return Diagnostic.Create(DiagnosticDescriptors.FailureWhenWithoutResult, location, name);
            case ParseFailureReason.TimeoutOnSynchronousMethod:
                return Diagnostic.Create(DiagnosticDescriptors.TimeoutOnSynchronousMethod, location, name);
            case ParseFailureReason.KeyParameterNotFound:
                return Diagnostic.Create(
                    DiagnosticDescriptors.KeyParameterNotFound,
                    location,
                    ImmutableDictionary<string, string?>.Empty.Add(KeyCandidatesProperty, string.Join(",", failure.Values)),
                    member,
                    name,
                    failure.Values.Count == 0 ? "none of its parameters can be a key" : SignatureText.Join(failure.Values.Select(p => "'" + p + "'").ToList(), "or"));
            case ParseFailureReason.KeyParameterByReference:
                return Diagnostic.Create(DiagnosticDescriptors.KeyParameterByReference, location, member, name, failure.Values[0]);
            case ParseFailureReason.KeyTypeWithoutValueEquality:
                return Diagnostic.Create(DiagnosticDescriptors.KeyTypeWithoutValueEquality, location, member, name, failure.Values[0], failure.Values[1]);
            case ParseFailureReason.DecoratorMethodMatchesNoMember:
                return Diagnostic.Create(DiagnosticDescriptors.DecoratorMethodMatchesNoMember, location, name, method.ContainingType.Name, failure.Values[0]);
            case ParseFailureReason.SettingNotApplicable:
                return Diagnostic.Create(DiagnosticDescriptors.SettingNotApplicable, location, member, name, "it applies to a decorator class only");
            default:
                return ArgumentDiagnostic(failure, location, name);
        }
    }

    /// <summary>
    /// The diagnostic for a failure of the attribute's own arguments, which a guarded method and a decorator class report
    /// alike (<paramref name="name"/> is the method's or the class's), or <see langword="null"/> for any other failure.
    /// </summary>
    internal static Diagnostic? ArgumentDiagnostic(ParseFailure failure, Location location, string name)
    {
        string member = failure.Detail ?? string.Empty;
        switch (failure.Reason)
        {
            case ParseFailureReason.MissingBreakerName:
                return Diagnostic.Create(DiagnosticDescriptors.MissingBreakerName, location, name);
            case ParseFailureReason.InvalidExceptionType:
                return Diagnostic.Create(DiagnosticDescriptors.InvalidExceptionType, location, failure.Values[0], member);
            case ParseFailureReason.ExceptionTypeHandledAndIgnored:
                return Diagnostic.Create(DiagnosticDescriptors.ExceptionTypeHandledAndIgnored, location, failure.Values[0]);
            case ParseFailureReason.SettingOutOfRange:
                return Diagnostic.Create(DiagnosticDescriptors.SettingOutOfRange, location, member, failure.Values[0], failure.Values[1]);
            case ParseFailureReason.BreakDurationHookNotFound:
            case ParseFailureReason.BreakDurationHookSignatureMismatch:
            case ParseFailureReason.BreakDurationHookNotStatic:
            case ParseFailureReason.BreakDurationHookUnreachable:
                return HookUnusable(failure, location, name);
            default:
                return null;
        }
    }

    /// <summary>The diagnostic property that carries the name of the member a code fix declares.</summary>
    public const string MemberNameProperty = "MemberName";

    /// <summary>The diagnostic property that carries the parameters that could be the key, comma-separated, for the code fix.</summary>
    public const string KeyCandidatesProperty = "KeyCandidates";

    /// <summary>The guarded method's name in its (first) declaration.</summary>
    public static Location MethodLocation(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration
            ? declaration.Identifier.GetLocation()
            : method.Locations.FirstOrDefault() ?? Location.None;

    private static ImmutableDictionary<string, string?> MemberName(string name) =>
        ImmutableDictionary<string, string?>.Empty.Add(MemberNameProperty, name);

    /// <summary>BRK0025 for a <c>BreakDurationHook</c> failure of <paramref name="name"/> (a guarded method, or a decorator class).</summary>
    private static Diagnostic? HookUnusable(ParseFailure failure, Location location, string name)
    {
        string hook = failure.Detail ?? string.Empty;
        string? why = failure.Reason switch
        {
            ParseFailureReason.BreakDurationHookNotFound => "no method has that name; declare 'private static TimeSpan? " + hook + "(BreakContext context)'",
            ParseFailureReason.BreakDurationHookSignatureMismatch => "no overload is 'static TimeSpan? " + hook + "(BreakContext context)'",
            ParseFailureReason.BreakDurationHookNotStatic => "it is an instance method, and one breaker serves every instance of '" + failure.Values[0] + "'; make it static",
            ParseFailureReason.BreakDurationHookUnreachable => "'" + failure.Values[0] + "' is " + failure.Values[1] + ", so the breaker's declaration, made from outside it when the assembly loads, cannot name the hook; "
                + (failure.Values[1] == "generic" ? "one breaker serves every closed type: set the hook at run time with CircuitBreakerRegistry.Configure" : "make the type internal"),
            _ => null,
        };
        return why is null ? null : Diagnostic.Create(DiagnosticDescriptors.BreakDurationHookUnusable, location, hook, name, why);
    }

    private static Diagnostic Unsupported(Location location, string name, string why) =>
        Diagnostic.Create(DiagnosticDescriptors.UnsupportedMethod, location, name, why);

    private static string WhyNotPartial(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var declaration = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as MethodDeclarationSyntax;
        bool hasBody = declaration is { Body: not null } or { ExpressionBody: not null };
        if (declaration is not null && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return hasBody
                ? "it is not partial and has a body; make it partial and move the body to '" + MemberResolver.DefaultImplementationName(method) + "'"
                : "add the 'partial' modifier";
        }

        return "it already has an implementation part; move that body to '" + MemberResolver.DefaultImplementationName(method) + "' and delete the part";
    }

    private static Location? ParameterLocation(IMethodSymbol method, string parameter) =>
        method.Parameters.FirstOrDefault(p => p.Name == parameter)?.Locations.FirstOrDefault();

    private static ReturnShape Shape(IMethodSymbol method, KnownTypes known) => SignatureReader.ReadShape(method, known).Value;

    private static string ResultType(IMethodSymbol method, KnownTypes known) =>
        SignatureReader.ResultType(method, Shape(method, known)) is { } result ? SignatureText.Type(result) : "T";
}
