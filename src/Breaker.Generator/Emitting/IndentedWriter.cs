using System.Text;

namespace Breaker.Generator.Emitting;

/// <summary>Writes C# source line by line with four-space indentation.</summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _text = new StringBuilder();
    private int _depth;

    /// <summary>Writes one line at the current indentation; an empty line carries no indentation.</summary>
    public IndentedWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _depth * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    /// <summary>Writes <c>{</c> and indents what follows.</summary>
    public IndentedWriter Open()
    {
        Line("{");
        _depth++;
        return this;
    }

    /// <summary>Unindents and writes <c>}</c> followed by <paramref name="suffix"/>.</summary>
    public IndentedWriter Close(string suffix = "")
    {
        _depth--;
        return Line("}" + suffix);
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();
}
