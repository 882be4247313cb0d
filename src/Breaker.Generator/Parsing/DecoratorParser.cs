using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Breaker.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Breaker.Generator.Parsing;

/// <summary>
/// Turns a <c>[CircuitBreaker]</c> class that implements one interface into a <see cref="DecoratorModel"/>, or says why it
/// cannot. Each guarded member becomes a <see cref="GuardedMethodModel"/> whose implementation is the inner instance's
/// member, so the method body is the one <c>MethodBodyWriter</c> writes for partial methods.
/// </summary>
internal static class DecoratorParser
{
    /// <summary>The field the generator declares for the inner instance when it writes the constructor.</summary>
    public const string GeneratedInnerField = "_inner";

    /// <summary>Settings that belong to one method: on a decorator class they are errors (declare the member as a partial method instead).</summary>
    private static readonly string[] MethodOnlySettings = { "Fallback", "Implementation", "Key", "FailureWhen" };

    /// <summary>Parses the class the generator's pipeline found; <see langword="null"/> when it yields no code.</summary>
    public static DecoratorModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is INamedTypeSymbol type && context.Attributes.Length == 1
            ? Resolve(type, context.Attributes[0], new KnownTypes(context.SemanticModel.Compilation), cancellationToken).Model
            : null;

    /// <summary>Runs every check on the decorator and collects every failure; the model only when there is none.</summary>
    public static DecoratorResult Resolve(INamedTypeSymbol type, AttributeData attribute, KnownTypes known, CancellationToken cancellationToken)
    {
        var failures = new List<ParseFailure>();
        Resolution<AttributeReader> arguments = AttributeReader.Read(attribute);
        if (arguments.Failure is not null || type.TypeKind != TypeKind.Class || type.IsStatic)
        {
            return new DecoratorResult(new[] { arguments.Failure ?? new ParseFailure(ParseFailureReason.InvalidDeclaration, type.Name) }, null);
        }

        AttributeReader reader = arguments.Value!;
        if (reader.CheckName() is { } nameFailure)
        {
            failures.Add(nameFailure);
        }

        foreach (string setting in MethodOnlySettings.Where(reader.IsSet))
        {
            failures.Add(new ParseFailure(ParseFailureReason.SettingNotApplicable, setting) { Argument = setting });
        }

        failures.AddRange(reader.CheckSettings());

        // A class-level hook serves every breaker of the decorator (one, or one per method with PerMethod).
        string? hook = null;
        if (reader.BreakDurationHook is { } hookName)
        {
            Resolution<string> resolved = MemberResolver.ResolveBreakDurationHook(type, hookName, known);
            failures.AddIfFailed(resolved.Failure, "BreakDurationHook");
            hook = resolved.Value;
        }

        Resolution<IReadOnlyList<INamedTypeSymbol>> handles = reader.ExceptionTypeSymbols("Handles", known);
        Resolution<IReadOnlyList<INamedTypeSymbol>> ignores = reader.ExceptionTypeSymbols("Ignores", known);
        failures.AddIfFailed(handles.Failure);
        failures.AddIfFailed(ignores.Failure);
        if (handles.Failure is null && ignores.Failure is null)
        {
            failures.AddIfFailed(AttributeReader.CheckOverlap(handles.Value!, ignores.Value!));
        }

        Resolution<EquatableArray<ContainingTypeModel>> containing = SignatureReader.ReadContainingTypes(type);
        if (containing.Failure is not null)
        {
            failures.Add(new ParseFailure(ParseFailureReason.DecoratorNotPartial, containing.Failure.Detail ?? type.Name) { Values = containing.Failure.Values });
        }

        Resolution<INamedTypeSymbol> decorated = DecoratedInterface(type);
        failures.AddIfFailed(decorated.Failure);
        if (decorated.Failure is not null)
        {
            return new DecoratorResult(failures, null);
        }

        INamedTypeSymbol contract = decorated.Value!;
        Resolution<InnerInstance> inner = ReadInner(type, contract);
        failures.AddIfFailed(inner.Failure);
        cancellationToken.ThrowIfCancellationRequested();

        List<ISymbol> members = MembersToWrite(type, contract, out List<IMethodSymbol> unguarded);
        HashSet<string> clashing = Clashing(members);
        var methods = new List<DecoratedMethodModel>();
        var forwarded = new List<ForwardedMemberModel>();
        var breakers = new List<DecoratorBreakerModel>();
        bool perMethod = reader.PerMethod;
        string target = inner.Failure is null ? inner.Value!.Field + "." : string.Empty;
        foreach (ISymbol member in members)
        {
            bool isExplicit = clashing.Contains(SignatureKey(member));
            string receiver = isExplicit && !SymbolEqualityComparer.Default.Equals(member.ContainingType, contract)
                ? "((" + SymbolNames.Type(member.ContainingType) + ")" + target.TrimEnd('.') + ")."
                : target;
            string name = isExplicit ? SymbolNames.Type(member.ContainingType) + "." + SymbolNames.Identifier(member.Name) : SymbolNames.Identifier(member.Name);
            switch (member)
            {
                case IMethodSymbol method:
                    ParseFailure? unsupported = CheckMethod(method, known);
                    if (unsupported is not null)
                    {
                        failures.Add(unsupported);
                        continue;
                    }

                    DecoratorBreakerModel breaker = BreakerFor(method, reader, perMethod, hook, type, breakers);
                    ReturnShape shape = SignatureReader.ReadShape(method, known).Value;
                    ITypeSymbol? result = SignatureReader.ResultType(method, shape);
                    methods.Add(new DecoratedMethodModel(
                        new GuardedMethodModel(
                            string.Empty,
                            SignatureReader.ReadNamespace(type),
                            containing.Value,
                            SymbolNames.Type(type),
                            SignatureReader.ReadInterfaceSignature(method, isExplicit ? string.Empty : "public", name, withConstraints: !isExplicit, known),
                            breaker.Breaker,
                            breaker.Field,
                            shape,
                            result is null ? null : SymbolNames.Type(result),
                            new MemberCallModel(SymbolNames.Identifier(method.Name), false, method.Arity > 0, receiver),
                            null,
                            null,
                            EquatableArray.From((handles.Value ?? new List<INamedTypeSymbol>()).Select(SymbolNames.Type).Distinct()),
                            EquatableArray.From((ignores.Value ?? new List<INamedTypeSymbol>()).Select(SymbolNames.Type).Distinct()),
                            null),
                        method.Name));
                    break;
                case IPropertySymbol property:
                    if (property.ReturnsByRef || property.ReturnsByRefReadonly)
                    {
                        failures.Add(Unsupported(property, "it returns by reference"));
                        continue;
                    }

                    forwarded.Add(Property(property, isExplicit, name, receiver, known));
                    break;
                case IEventSymbol @event:
                    forwarded.Add(new ForwardedMemberModel(
                        IsEvent: true,
                        (isExplicit ? "event " : "public event ") + SymbolNames.Type(@event.Type) + " " + name,
                        receiver + SymbolNames.Identifier(@event.Name),
                        EquatableArray.From(new[] { "add", "remove" })));
                    break;
            }
        }

        // Partial methods the user declared without [CircuitBreaker]: forwarded as declared, with no breaker.
        var unguardedSignatures = unguarded
            .Select(m => SignatureReader.ReadSignature(m, (MethodDeclarationSyntax)m.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken), known))
            .ToList();

        if (failures.Count > 0)
        {
            return new DecoratorResult(failures, null);
        }

        return new DecoratorResult(failures, new DecoratorModel(
            GuardedMethodParser.TypeHintName(type) + ".CircuitBreakerDecorator.g.cs",
            SignatureReader.ReadNamespace(type),
            containing.Value,
            DeclaringType(type),
            SymbolNames.Type(contract),
            inner.Value!.Field,
            inner.Value!.DeclaresField,
            inner.Value!.WritesConstructor ? SymbolNames.Identifier(type.Name) : null,
            EquatableArray.From(breakers),
            EquatableArray.From(methods),
            EquatableArray.From(forwarded),
            EquatableArray.From(unguardedSignatures)));
    }

    /// <summary>The one interface the decorator lists in its declaration, or why there is not exactly one.</summary>
    public static Resolution<INamedTypeSymbol> DecoratedInterface(INamedTypeSymbol type) =>
        type.Interfaces.Length == 1
            ? Resolution<INamedTypeSymbol>.Success(type.Interfaces[0])
            : Resolution<INamedTypeSymbol>.Fail(new ParseFailure(ParseFailureReason.DecoratorInterfaceCount, type.Name)
            {
                Values = EquatableArray.From(type.Interfaces.Select(SymbolNames.Display)),
            });

    /// <summary>
    /// Whether <paramref name="type"/> is a decorator: a class carrying <c>[CircuitBreaker]</c> itself. Its partial methods
    /// with their own <c>[CircuitBreaker]</c> forward to the inner instance unless they name an <c>Implementation</c>.
    /// </summary>
    public static bool IsDecorator(INamedTypeSymbol type, KnownTypes known) =>
        known.CircuitBreakerAttribute is not null
        && type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.CircuitBreakerAttribute));

    /// <summary>
    /// The call a customised member of a decorator (a partial method with its own <c>[CircuitBreaker]</c>) makes: the inner
    /// instance's interface member that the partial method implements.
    /// </summary>
    public static Resolution<MemberCallModel> ResolveInnerCall(IMethodSymbol method)
    {
        INamedTypeSymbol type = method.ContainingType;
        Resolution<INamedTypeSymbol> decorated = DecoratedInterface(type);
        if (decorated.Failure is not null)
        {
            return Resolution<MemberCallModel>.Fail(decorated.Failure);
        }

        IMethodSymbol? member = AllMembers(decorated.Value!).OfType<IMethodSymbol>().FirstOrDefault(m =>
            type.FindImplementationForInterfaceMember(m) is IMethodSymbol implementation
            && SymbolEqualityComparer.Default.Equals(implementation.PartialDefinitionPart ?? implementation, method));
        if (member is null)
        {
            return Resolution<MemberCallModel>.Fail(new ParseFailure(ParseFailureReason.DecoratorMethodMatchesNoMember, method.Name)
            {
                Values = EquatableArray.From(new[] { SymbolNames.Display(decorated.Value!) }),
            });
        }

        Resolution<InnerInstance> inner = ReadInner(type, decorated.Value!);
        return inner.Failure is not null
            ? Resolution<MemberCallModel>.Fail(inner.Failure)
            : Resolution<MemberCallModel>.Success(new MemberCallModel(SymbolNames.Identifier(member.Name), false, member.Arity > 0, inner.Value!.Field + "."));
    }

    /// <summary>
    /// The inner instance: the decorator's one instance field of the interface's type when it declares one, otherwise a
    /// field the generator declares with the constructor it writes. A decorator that writes its own constructor must
    /// declare the field, as the generator cannot know which constructor parameter is the inner instance.
    /// </summary>
    private static Resolution<InnerInstance> ReadInner(INamedTypeSymbol type, INamedTypeSymbol contract)
    {
        var fields = type.GetMembers().OfType<IFieldSymbol>()
            .Where(f => !f.IsStatic && !f.IsImplicitlyDeclared && SymbolEqualityComparer.Default.Equals(f.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), contract.WithNullableAnnotation(NullableAnnotation.NotAnnotated)))
            .ToList();
        bool hasConstructor = type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared);
        if (fields.Count == 1)
        {
            return Resolution<InnerInstance>.Success(new InnerInstance("this." + SymbolNames.Identifier(fields[0].Name), !hasConstructor, DeclaresField: false));
        }

        return fields.Count == 0 && !hasConstructor
            ? Resolution<InnerInstance>.Success(new InnerInstance("this." + GeneratedInnerField, WritesConstructor: true, DeclaresField: true))
            : Resolution<InnerInstance>.Fail(new ParseFailure(ParseFailureReason.DecoratorWithoutInner, type.Name)
            {
                Values = EquatableArray.From(fields.Select(f => f.Name)),
            });
    }

    /// <summary>
    /// The interface's instance members the generator writes, in declaration order, interface first, then the ones it
    /// inherits; a member the decorator (not a base class) implements itself is the user's, except a partial method
    /// declared without <c>[CircuitBreaker]</c> and without a body, which the generator forwards unguarded.
    /// </summary>
    private static List<ISymbol> MembersToWrite(INamedTypeSymbol type, INamedTypeSymbol contract, out List<IMethodSymbol> unguarded)
    {
        var members = new List<ISymbol>();
        unguarded = new List<IMethodSymbol>();
        foreach (ISymbol member in AllMembers(contract))
        {
            if (member.IsStatic || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary } || member is not (IMethodSymbol or IPropertySymbol or IEventSymbol))
            {
                continue;
            }

            ISymbol? implementation = type.FindImplementationForInterfaceMember(member);
            if (implementation is null || implementation.ContainingType.TypeKind == TypeKind.Interface)
            {
                members.Add(member);
            }
            else if (SymbolEqualityComparer.Default.Equals(implementation.ContainingType, type)
                && implementation is IMethodSymbol { PartialImplementationPart: null } partial
                && SignatureReader.IsPartialDefinition(partial)
                && !partial.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == GuardedMethodParser.AttributeMetadataName)
                && !unguarded.Contains(partial, SymbolEqualityComparer.Default))
            {
                unguarded.Add(partial);
            }
        }

        return members;
    }

    private static IEnumerable<ISymbol> AllMembers(INamedTypeSymbol contract) =>
        new[] { contract }.Concat(contract.AllInterfaces).SelectMany(i => i.GetMembers());

    /// <summary>Signatures that more than one member to write shares (a base member hidden with <c>new</c>): those are implemented explicitly.</summary>
    private static HashSet<string> Clashing(List<ISymbol> members) =>
        new HashSet<string>(members.GroupBy(SignatureKey).Where(g => g.Count() > 1).Select(g => g.Key));

    private static string SignatureKey(ISymbol member) => member switch
    {
        IMethodSymbol method => method.Name + "`" + method.Arity + "(" + string.Join(",", method.Parameters.Select(p => p.RefKind + " " + p.Type.ToDisplayString())) + ")",
        IPropertySymbol { IsIndexer: true } indexer => "this[" + string.Join(",", indexer.Parameters.Select(p => p.Type.ToDisplayString())) + "]",
        _ => member.Name,
    };

    /// <summary>Why an interface method cannot be forwarded through a breaker, with the same checks a partial method gets.</summary>
    private static ParseFailure? CheckMethod(IMethodSymbol method, KnownTypes known)
    {
        Resolution<ReturnShape> shape = SignatureReader.ReadShape(method, known);
        ParseFailure? failure = shape.Failure ?? SignatureReader.CheckParameters(method, shape.Value);
        return failure is null ? null : Unsupported(method, failure.Reason switch
        {
            ParseFailureReason.RefReturn => "it returns by reference",
            ParseFailureReason.AsyncEnumerator => "it returns an async enumerator",
            ParseFailureReason.PointerType => "its signature uses a pointer type",
            _ => "parameter '" + failure.Detail + "' is by reference or a ref struct, which an async call cannot keep across an await",
        });
    }

    private static ParseFailure Unsupported(ISymbol member, string why) =>
        new ParseFailure(ParseFailureReason.DecoratorMemberUnsupported, SymbolNames.Display(member)) { Values = EquatableArray.From(new[] { why }) };

    /// <summary>The decorator's breaker, or the method's own (<c>Name.Method</c>, shared by overloads) with <c>PerMethod</c>.</summary>
    private static DecoratorBreakerModel BreakerFor(IMethodSymbol method, AttributeReader reader, bool perMethod, string? hook, INamedTypeSymbol type, List<DecoratorBreakerModel> breakers)
    {
        string field = perMethod ? "__decoratorBreaker_" + method.Name : "__decoratorBreaker";
        DecoratorBreakerModel? existing = breakers.FirstOrDefault(b => b.Field == field);
        if (existing is null)
        {
            string forwarder = "__breakDurationHook" + field.Substring("__decoratorBreaker".Length);
            existing = new DecoratorBreakerModel(field, new BreakerSettingsModel(
                perMethod ? reader.Name + "." + method.Name : reader.Name,
                reader.Options(),
                hook is null ? null : new BreakDurationHookModel(hook, forwarder, SymbolNames.Type(type) + "." + forwarder)));
            breakers.Add(existing);
        }

        return existing;
    }

    private static ForwardedMemberModel Property(IPropertySymbol property, bool isExplicit, string name, string receiver, KnownTypes known)
    {
        string parameters = string.Join(", ", property.Parameters.Select(p =>
            NullabilityAttributes.Read(p.GetAttributes(), string.Empty, known) + SymbolNames.Type(p.Type) + " " + SymbolNames.Identifier(p.Name)));
        string head = (isExplicit ? string.Empty : "public ") + SymbolNames.Type(property.Type) + " "
            + (property.IsIndexer ? (isExplicit ? SymbolNames.Type(property.ContainingType) + "." : string.Empty) + "this[" + parameters + "]" : name);
        string targetMember = property.IsIndexer
            ? receiver.TrimEnd('.') + "[" + string.Join(", ", property.Parameters.Select(IndexerArgument)) + "]"
            : receiver + SymbolNames.Identifier(property.Name);
        var accessors = new List<string>();
        if (property.GetMethod is not null)
        {
            accessors.Add("get");
        }

        if (property.SetMethod is not null)
        {
            accessors.Add(property.SetMethod.IsInitOnly ? "init" : "set");
        }

        return new ForwardedMemberModel(IsEvent: false, head, targetMember, EquatableArray.From(accessors))
        {
            Attributes = NullabilityAttributes.Read(property.GetAttributes(), string.Empty, known),
        };
    }

    // The compiler does not carry an indexer parameter's [DisallowNull] into its accessors' flow state, so the argument
    // says what the caller was held to.
    private static string IndexerArgument(IParameterSymbol parameter) =>
        SymbolNames.Identifier(parameter.Name)
        + (parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Diagnostics.CodeAnalysis.DisallowNullAttribute") ? "!" : string.Empty);

    private static string DeclaringType(INamedTypeSymbol type)
    {
        var names = new List<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            names.Insert(0, current.Name + (current.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", current.TypeParameters.Select(p => p.Name)) + ">"));
        }

        string ns = type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString() + ".";
        return ns + string.Join(".", names);
    }

    /// <summary>Where the inner instance lives, whether the generator writes the constructor that takes it, and whether it declares the field.</summary>
    private sealed record InnerInstance(string Field, bool WritesConstructor, bool DeclaresField);
}

/// <summary>Everything the parser found about one decorator: the model when there is no failure, and every failure.</summary>
/// <param name="Failures">Every failure, in the order the checks run.</param>
/// <param name="Model">The model, or <see langword="null"/> when there is a failure.</param>
internal sealed record DecoratorResult(IReadOnlyList<ParseFailure> Failures, DecoratorModel? Model);
