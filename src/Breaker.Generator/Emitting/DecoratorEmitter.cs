using System.Linq;
using Breaker.Generator.Model;

namespace Breaker.Generator.Emitting;

/// <summary>
/// Writes the source file for one decorator: its breaker fields, the constructor that takes the inner instance, every
/// guarded interface method (through <see cref="MethodBodyWriter"/>, as a partial method's body is written) and the
/// members forwarded without a breaker. A pure function of its <see cref="DecoratorModel"/>.
/// </summary>
internal static class DecoratorEmitter
{
    /// <summary>The nullable postcondition checks at a method's exits (CS8762 [NotNullWhen] and [MaybeNullWhen] out, CS8763 [DoesNotReturn], CS8777 [NotNull], CS8824/CS8825 [NotNullIfNotNull]).</summary>
    private const string PostconditionWarnings = "CS8762, CS8763, CS8777, CS8824, CS8825";

    /// <summary>Writes the file.</summary>
    public static string Emit(DecoratorModel model, TargetModel? target = null)
    {
        var writer = new IndentedWriter();
        GuardedMethodEmitter.OpenContainers(writer, model.Namespace, model.ContainingTypes);
        var members = new MemberSeparator(writer);
        foreach (DecoratorBreakerModel breaker in model.Breakers)
        {
            members.Next();
            GuardedMethodEmitter.WriteBreakerField(writer, breaker.Breaker, breaker.Field, key: null);
        }

        WriteInner(members, writer, model);
        foreach (DecoratedMethodModel method in model.Methods)
        {
            members.Next();
            bool postconditions = method.Method.Signature.KeepsPostconditionsByForwarding;
            if (postconditions)
            {
                // The compiler checks [NotNullWhen], [NotNull], [NotNullIfNotNull] and [DoesNotReturn] against the state at
                // each return, which it cannot follow through the result local and the permit's bookkeeping. Every path
                // that returns has called the inner instance and returns its values as they came (a rejection throws), so
                // the inner member's promise is this member's.
                writer.Line("#pragma warning disable " + PostconditionWarnings);
            }

            writer.Line(GuardedMethodEmitter.GeneratedCodeAttribute);
            new MethodBodyWriter(method.Method, writer, target ?? TargetModel.Modern).Write();
            if (postconditions)
            {
                writer.Line("#pragma warning restore " + PostconditionWarnings);
            }
        }

        foreach (MethodSignatureModel signature in model.Unguarded)
        {
            members.Next();
            // The user's own partial declaration: no [GeneratedCode], as the parts' attributes merge.
            writer.Line(MethodBodyWriter.Declaration(signature));
            foreach (string constraint in signature.Constraints)
            {
                writer.Line("    " + constraint);
            }

            string arguments = string.Join(", ", signature.Parameters.Select(p => p.ArgumentModifier + p.Name));
            writer.Line("    => " + model.Inner + "." + signature.Name + GuardedMethodEmitter.TypeParameterList(signature.TypeParameters) + "(" + arguments + ");");
        }

        foreach (ForwardedMemberModel member in model.Forwarded)
        {
            members.Next();
            writer.Line(GuardedMethodEmitter.GeneratedCodeAttribute);
            if (member.Attributes.Length > 0)
            {
                writer.Line(member.Attributes.TrimEnd());
            }

            writer.Line(member.Declaration).Open();
            foreach (string accessor in member.Accessors)
            {
                writer.Line(accessor switch
                {
                    "get" => "get => " + member.Target + ";",
                    "add" => "add => " + member.Target + " += value;",
                    "remove" => "remove => " + member.Target + " -= value;",
                    _ => accessor + " => " + member.Target + " = value;",
                });
            }

            writer.Close();
        }

        GuardedMethodEmitter.CloseContainers(writer, model.Namespace, model.ContainingTypes);
        return writer.ToString();
    }

    private static void WriteInner(MemberSeparator members, IndentedWriter writer, DecoratorModel model)
    {
        if (model.DeclaresInner)
        {
            members.Next();
            writer.Line(GuardedMethodEmitter.GeneratedCodeAttribute);
            writer.Line("private readonly " + model.InterfaceType + " " + model.Inner.Substring("this.".Length) + ";");
        }

        if (model.Constructor is not null)
        {
            members.Next();
            writer.Line("/// <summary>Creates the decorator around <paramref name=\"inner\"/>, which every call is forwarded to.</summary>");
            writer.Line("/// <param name=\"inner\">The instance that does the work.</param>");
            writer.Line(GuardedMethodEmitter.GeneratedCodeAttribute);
            writer.Line("public " + model.Constructor + "(" + model.InterfaceType + " inner)").Open();
            writer.Line(model.Inner + " = inner ?? throw new global::System.ArgumentNullException(nameof(inner));");
            writer.Close();
        }
    }

    /// <summary>Writes the blank line between two members, and none before the first.</summary>
    private sealed class MemberSeparator
    {
        private readonly IndentedWriter _writer;
        private bool _any;

        public MemberSeparator(IndentedWriter writer) => _writer = writer;

        public void Next()
        {
            if (_any)
            {
                _writer.Line();
            }

            _any = true;
        }
    }
}
