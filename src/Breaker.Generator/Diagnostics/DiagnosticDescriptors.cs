using Microsoft.CodeAnalysis;

namespace Breaker.Generator.Diagnostics;

/// <summary>
/// Every diagnostic Breaker reports. IDs are stable once shipped (see AnalyzerReleases.Shipped.md); each has a page at
/// docs/diagnostics/BRKnnnn.md with the wrong code, the message and the right code.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Declarations the generator cannot implement: partial modifiers, unsupported shapes.</summary>
    public const string DeclarationCategory = "Breaker.Declaration";

    /// <summary>The members the attribute names: implementation, fallback, <c>FailureWhen</c>, exception types.</summary>
    public const string ResolutionCategory = "Breaker.Resolution";

    /// <summary>The breaker's name and settings.</summary>
    public const string ConfigurationCategory = "Breaker.Configuration";

    private const string HelpLinkBase = "https://github.com/breaker-dotnet/breaker/blob/main/docs/diagnostics/";

    /// <summary>BRK0001: the guarded method is not a partial method without a body.</summary>
    public static readonly DiagnosticDescriptor MethodNotPartial = new DiagnosticDescriptor(
        "BRK0001",
        "Guarded method must be partial and have no body",
        "Method '{0}' must be declared 'partial' without a body so that Breaker can write it: {1}",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0001.md");

    /// <summary>BRK0002: a containing type is not partial.</summary>
    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = new DiagnosticDescriptor(
        "BRK0002",
        "Types containing a guarded method must be partial",
        "Method '{0}' is guarded, so every type that contains it must be 'partial'; add 'partial' to {1}",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0002.md");

    /// <summary>BRK0003: a shape the generator does not support.</summary>
    public static readonly DiagnosticDescriptor UnsupportedMethod = new DiagnosticDescriptor(
        "BRK0003",
        "Method cannot be guarded",
        "Method '{0}' cannot be guarded by a circuit breaker: {1}",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0003.md");

    /// <summary>BRK0004: no implementation method.</summary>
    public static readonly DiagnosticDescriptor ImplementationNotFound = new DiagnosticDescriptor(
        "BRK0004",
        "Implementation method not found",
        "No method '{0}' does the work of '{1}'; declare '{2}', or name another method with Implementation = nameof(...)",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0004.md");

    /// <summary>BRK0005: the implementation's signature does not match.</summary>
    public static readonly DiagnosticDescriptor ImplementationSignatureMismatch = new DiagnosticDescriptor(
        "BRK0005",
        "Implementation method does not match the guarded method",
        "No overload of '{0}' can do the work of '{1}': it must take the same parameters and return the same type, as in '{2}'",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0005.md");

    /// <summary>BRK0006: <c>Fallback</c> names nothing.</summary>
    public static readonly DiagnosticDescriptor FallbackNotFound = new DiagnosticDescriptor(
        "BRK0006",
        "Fallback method not found",
        "No member '{0}' exists for the fallback of '{1}'; declare it with one of the accepted shapes: {2}",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0006.md");

    /// <summary>BRK0007: <c>Fallback</c> names a member that is not a method.</summary>
    public static readonly DiagnosticDescriptor FallbackNotMethod = new DiagnosticDescriptor(
        "BRK0007",
        "Fallback is not a method",
        "The fallback '{0}' of '{1}' is a {2}, not a method",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0007.md");

    /// <summary>BRK0008: two fallback overloads take the same failures.</summary>
    public static readonly DiagnosticDescriptor FallbackAmbiguous = new DiagnosticDescriptor(
        "BRK0008",
        "Fallback overloads are ambiguous",
        "The fallback of '{0}' is ambiguous: '{1}' and '{2}' take the same failures, so one of them would never be called; remove one or give it a more specific exception parameter",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0008.md");

    /// <summary>BRK0009: no fallback overload has an accepted parameter list.</summary>
    public static readonly DiagnosticDescriptor FallbackSignatureMismatch = new DiagnosticDescriptor(
        "BRK0009",
        "Fallback signature does not fit",
        "No overload of '{0}' can be the fallback of '{1}'; accepted shapes: {2}",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0009.md");

    /// <summary>BRK0010: a fallback overload returns a type that does not fit.</summary>
    public static readonly DiagnosticDescriptor FallbackReturnTypeMismatch = new DiagnosticDescriptor(
        "BRK0010",
        "Fallback return type does not fit",
        "The fallback '{0}' returns '{1}', but the fallback of '{2}' must return {3}",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0010.md");

    /// <summary>BRK0011: a static guarded method names an instance member.</summary>
    public static readonly DiagnosticDescriptor MemberNotStatic = new DiagnosticDescriptor(
        "BRK0011",
        "Member called by a static guarded method must be static",
        "The {0} '{1}' is an instance method, but '{2}' is static and cannot call it; make it static",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0011.md");

    /// <summary>BRK0012: <c>FailureWhen</c> names no method.</summary>
    public static readonly DiagnosticDescriptor FailureWhenNotFound = new DiagnosticDescriptor(
        "BRK0012",
        "FailureWhen method not found",
        "No method '{0}' exists for the FailureWhen predicate of '{1}'; declare 'bool {0}({2} result)'",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0012.md");

    /// <summary>BRK0013: <c>FailureWhen</c> names methods that are not <c>bool M(TResult)</c>.</summary>
    public static readonly DiagnosticDescriptor FailureWhenSignatureMismatch = new DiagnosticDescriptor(
        "BRK0013",
        "FailureWhen predicate signature does not fit",
        "No overload of '{0}' can be the FailureWhen predicate of '{1}': it must be 'bool {0}({2} result)'",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0013.md");

    /// <summary>BRK0014: <c>FailureWhen</c> on a method that returns no result.</summary>
    public static readonly DiagnosticDescriptor FailureWhenWithoutResult = new DiagnosticDescriptor(
        "BRK0014",
        "FailureWhen on a method without a result",
        "'{0}' returns no result, so FailureWhen has nothing to look at; remove it",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0014.md");

    /// <summary>BRK0015: <c>Handles</c>/<c>Ignores</c> names a type that is not an exception.</summary>
    public static readonly DiagnosticDescriptor InvalidExceptionType = new DiagnosticDescriptor(
        "BRK0015",
        "Handles and Ignores take exception types",
        "'{0}' in {1} is not an exception type; list closed types that derive from System.Exception",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0015.md");

    /// <summary>BRK0016: a type is in both <c>Handles</c> and <c>Ignores</c>.</summary>
    public static readonly DiagnosticDescriptor ExceptionTypeHandledAndIgnored = new DiagnosticDescriptor(
        "BRK0016",
        "Exception type is both handled and ignored",
        "'{0}' is in both Handles and Ignores; an exception cannot count as a failure and as nothing, so remove it from one list",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0016.md");

    /// <summary>BRK0017: the breaker has no name.</summary>
    public static readonly DiagnosticDescriptor MissingBreakerName = new DiagnosticDescriptor(
        "BRK0017",
        "Circuit breaker name is empty",
        "The circuit breaker of '{0}' needs a name: configuration, metrics and the registry are keyed by it",
        ConfigurationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0017.md");

    /// <summary>BRK0018: a setting is outside the range the runtime accepts.</summary>
    public static readonly DiagnosticDescriptor SettingOutOfRange = new DiagnosticDescriptor(
        "BRK0018",
        "Circuit breaker setting out of range",
        "{0} = {1} is out of range: it {2}",
        ConfigurationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0018.md");

    /// <summary>BRK0019: a timeout on a synchronous method.</summary>
    public static readonly DiagnosticDescriptor TimeoutOnSynchronousMethod = new DiagnosticDescriptor(
        "BRK0019",
        "TimeoutMs on a synchronous method",
        "'{0}' is synchronous, so a timeout cannot stop it; remove TimeoutMs or make the method return Task or ValueTask",
        ConfigurationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0019.md");

    /// <summary>BRK0020: a timeout on an async method that cannot be told to stop.</summary>
    public static readonly DiagnosticDescriptor TimeoutWithoutCancellationToken = new DiagnosticDescriptor(
        "BRK0020",
        "TimeoutMs on an async method without a CancellationToken",
        "'{0}' has a timeout but no CancellationToken parameter: after the timeout the call is abandoned, not stopped, and its work keeps running; add a CancellationToken parameter",
        ConfigurationCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0020.md");

    /// <summary>BRK0021: several methods declare one breaker with different settings.</summary>
    public static readonly DiagnosticDescriptor ConflictingBreakerSettings = new DiagnosticDescriptor(
        "BRK0021",
        "Methods sharing a circuit breaker declare different settings",
        "Circuit breaker '{0}' is declared by {1} methods with different settings ({2}); they share one breaker at run time and only one set of settings applies",
        ConfigurationCategory,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0021.md",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>BRK0022: <c>Key</c> names no parameter.</summary>
    public static readonly DiagnosticDescriptor KeyParameterNotFound = new DiagnosticDescriptor(
        "BRK0022",
        "Key parameter not found",
        "Key '{0}' names no parameter of '{1}'; name the parameter whose value picks the breaker with nameof: {2}",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0022.md");

    /// <summary>BRK0023: the <c>Key</c> parameter is by reference, a pointer or a ref struct.</summary>
    public static readonly DiagnosticDescriptor KeyParameterByReference = new DiagnosticDescriptor(
        "BRK0023",
        "Key parameter is not passed by value",
        "Key parameter '{0}' of '{1}' is {2}, so its value cannot pick a breaker; key by a parameter passed by value",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0023.md");

    /// <summary>BRK0024: the <c>Key</c> parameter's type has no value equality.</summary>
    public static readonly DiagnosticDescriptor KeyTypeWithoutValueEquality = new DiagnosticDescriptor(
        "BRK0024",
        "Key type has no value equality",
        "Key parameter '{0}' of '{1}' has type '{2}', which cannot key breakers: {3}",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0024.md");

    /// <summary>BRK0025: <c>BreakDurationHook</c> names no usable method.</summary>
    public static readonly DiagnosticDescriptor BreakDurationHookUnusable = new DiagnosticDescriptor(
        "BRK0025",
        "BreakDurationHook cannot be used",
        "The BreakDurationHook '{0}' of '{1}' cannot be used: {2}",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0025.md");

    /// <summary>BRK0026: a decorator class, or a type containing it, is not partial.</summary>
    public static readonly DiagnosticDescriptor DecoratorNotPartial = new DiagnosticDescriptor(
        "BRK0026",
        "Decorator must be partial",
        "Decorator '{0}' must be 'partial' so that Breaker can implement its interface; add 'partial' to {1}",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0026.md");

    /// <summary>BRK0027: a decorator lists no interface, or more than one.</summary>
    public static readonly DiagnosticDescriptor DecoratorInterfaceCount = new DiagnosticDescriptor(
        "BRK0027",
        "Decorator must list exactly one interface",
        "Decorator '{0}' must list exactly one interface to decorate; it lists {1}",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0027.md");

    /// <summary>BRK0028: a decorator writes its own constructor but has no single field of the interface's type.</summary>
    public static readonly DiagnosticDescriptor DecoratorWithoutInner = new DiagnosticDescriptor(
        "BRK0028",
        "Decorator with its own constructor needs a field for the inner instance",
        "Decorator '{0}' declares a constructor, so it must declare exactly one instance field of type '{1}' for the inner instance; {2}",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0028.md");

    /// <summary>BRK0029: an interface member a decorator would implement cannot be guarded.</summary>
    public static readonly DiagnosticDescriptor DecoratorMemberUnsupported = new DiagnosticDescriptor(
        "BRK0029",
        "Interface member cannot be forwarded through a breaker",
        "Member '{0}' of '{1}' cannot be forwarded through a circuit breaker: {2}; implement it in '{3}' by hand",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0029.md");

    /// <summary>BRK0030: a setting that belongs to a method is set on a decorator class, or the reverse.</summary>
    public static readonly DiagnosticDescriptor SettingNotApplicable = new DiagnosticDescriptor(
        "BRK0030",
        "Setting does not apply here",
        "'{0}' cannot be set on '{1}': {2}",
        ConfigurationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0030.md");

    /// <summary>BRK0031: a guarded partial method of a decorator implements no member of the decorated interface.</summary>
    public static readonly DiagnosticDescriptor DecoratorMethodMatchesNoMember = new DiagnosticDescriptor(
        "BRK0031",
        "Decorator method implements no interface member",
        "Partial method '{0}' of decorator '{1}' implements no member of '{2}', so it has nothing to forward to; match a member's signature or name an Implementation",
        ResolutionCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: null,
        helpLinkUri: HelpLinkBase + "BRK0031.md");

    /// <summary>BRK0032: the project's C# version is older than generated code needs (C# 9: partial methods with a return type).</summary>
    public static readonly DiagnosticDescriptor LanguageVersionTooLow = new DiagnosticDescriptor(
        "BRK0032",
        "C# version too old for Breaker's generated code",
        "'{0}' gets no circuit-breaker code: the project compiles C# {1}, and Breaker's generated code needs C# 9 or later; set <LangVersion>9.0</LangVersion> (or later, such as latest) in the project file",
        DeclarationCategory,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "netstandard2.0 and .NET Framework projects default to C# 7.3; generated partial methods with a return type need C# 9. Any SDK that builds net8.0 compiles C# 9 and later for every target.",
        helpLinkUri: HelpLinkBase + "BRK0032.md");

    /// <summary>Every descriptor, in ID order.</summary>
    public static readonly DiagnosticDescriptor[] All =
    {
        MethodNotPartial, ContainingTypeNotPartial, UnsupportedMethod, ImplementationNotFound, ImplementationSignatureMismatch,
        FallbackNotFound, FallbackNotMethod, FallbackAmbiguous, FallbackSignatureMismatch, FallbackReturnTypeMismatch,
        MemberNotStatic, FailureWhenNotFound, FailureWhenSignatureMismatch, FailureWhenWithoutResult, InvalidExceptionType,
        ExceptionTypeHandledAndIgnored, MissingBreakerName, SettingOutOfRange, TimeoutOnSynchronousMethod,
        TimeoutWithoutCancellationToken, ConflictingBreakerSettings, KeyParameterNotFound, KeyParameterByReference,
        KeyTypeWithoutValueEquality, BreakDurationHookUnusable, DecoratorNotPartial, DecoratorInterfaceCount,
        DecoratorWithoutInner, DecoratorMemberUnsupported, SettingNotApplicable, DecoratorMethodMatchesNoMember,
        LanguageVersionTooLow,
    };
}
