using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Breaker.Testing;

/// <summary>A type's name as the generator writes a declaring type: <c>Shop.Outer&lt;T&gt;.Inner</c>, type parameters by name.</summary>
internal static class CSharpTypeName
{
    public static string Of(Type type)
    {
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            type = type.GetGenericTypeDefinition();
        }

        // A nested type's generic parameters are its containers' first, then its own: take each level's own from the end.
        Type[] parameters = type.IsGenericTypeDefinition ? type.GetGenericArguments() : Type.EmptyTypes;
        int end = parameters.Length;
        var levels = new List<string>();
        for (Type? level = type; level is not null; level = level.DeclaringType)
        {
            string name = level.Name;
            int tick = name.IndexOf('`', StringComparison.Ordinal);
            if (tick >= 0)
            {
                int own = int.Parse(name.AsSpan(tick + 1), NumberStyles.None, CultureInfo.InvariantCulture);
                name = name[..tick] + "<" + string.Join(", ", parameters[(end - own)..end].Select(static p => p.Name)) + ">";
                end -= own;
            }

            levels.Insert(0, name);
        }

        string path = string.Join(".", levels);
        return string.IsNullOrEmpty(type.Namespace) ? path : type.Namespace + "." + path;
    }
}
