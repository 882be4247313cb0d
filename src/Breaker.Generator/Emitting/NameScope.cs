using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;

namespace Breaker.Generator.Emitting;

/// <summary>Picks names for generated locals that cannot collide with the user's parameter and type parameter names.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken;

    /// <summary>Creates a scope in which <paramref name="taken"/> are already used.</summary>
    public NameScope(IEnumerable<string> taken)
    {
        _taken = new HashSet<string>();
        foreach (string name in taken)
        {
            _taken.Add(name.TrimStart('@'));
        }
    }

    /// <summary>
    /// Returns <paramref name="preferred"/>, or it with underscores appended until it is free, and takes it. A keyword
    /// (<c>default</c>, or a contextual one such as <c>await</c>, which an async method cannot use) comes back escaped.
    /// </summary>
    public string Take(string preferred)
    {
        string name = preferred;
        while (!_taken.Add(name))
        {
            name += "_";
        }

        return SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;
    }
}
