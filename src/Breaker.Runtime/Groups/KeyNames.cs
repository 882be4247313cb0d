using System;
using System.Globalization;
using System.Text;

namespace Breaker.Groups;

/// <summary>
/// How a key becomes the name of its breaker: <c>group:key</c>, the key written as its invariant-culture text, with
/// what could hide or forge part of a name escaped, and bounded in length. Names are read in logs, metrics, the monitor
/// and exceptions, and keys come from input.
/// </summary>
/// <remarks>
/// Escapes start with <c>%</c>: <c>%XX</c> for a character up to U+00FF, <c>%uXXXX</c> above. Escaped are <c>%</c>
/// itself, <c>*</c> (the shared breaker is <c>group:*</c>), control characters (a newline would forge a log line),
/// invisible and bidirectional formatting characters (which hide or reorder text) and lone surrogates (which no UTF-8
/// writer can encode). So two keys with different texts get different names; a key longer than
/// <see cref="MaxKeyLength"/> once escaped keeps its start and ends with <c>%…</c> and a hash of the whole text.
/// <c>%…</c> and <c>%#</c> (which a group appends to a name that is taken) never come from escaping.
/// </remarks>
internal static class KeyNames
{
    /// <summary>The most characters the key part of a name takes.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>The key part of the shared breaker's name.</summary>
    public const string SharedKey = "*";

    // "%…" and eight hex digits.
    private const int HashSuffixLength = 10;

    // The most a name holds before it is cut, so the builder never grows: MaxKeyLength characters, then one escape
    // ("%uXXXX", six characters) that crosses the limit.
    private const int LongestUncut = MaxKeyLength + 6;

    /// <summary>The key's text: a string as it is, anything else formatted with the invariant culture (without boxing).</summary>
    public static string Text<TKey>(TKey key)
    {
        try
        {
            return key is string text ? text : string.Create(CultureInfo.InvariantCulture, $"{key}");
        }
        catch (Exception)
        {
            // A key whose ToString throws still gets a breaker: its name is the group's, made unique by the group.
            return string.Empty;
        }
    }

    /// <summary>The key part of a name for a key whose text is <paramref name="text"/>.</summary>
    public static string Escape(string text)
    {
        if (text.Length <= MaxKeyLength && !NeedsEscape(text))
        {
            return text;
        }

        var name = new StringBuilder(LongestUncut);
        int cut = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                name.Append(c).Append(text[++i]);
            }
            else if (IsEscaped(c))
            {
                // Two hex digits reach every escaped character up to U+009F, the last control character below U+00FF
                // (nothing from U+00A0 to U+060B is escaped).
                name.Append(c <= '\u009F' ? string.Create(CultureInfo.InvariantCulture, $"%{(int)c:X2}") : string.Create(CultureInfo.InvariantCulture, $"%u{(int)c:X4}"));
            }
            else
            {
                name.Append(c);
            }

            if (name.Length > MaxKeyLength)
            {
                // Too long: cut where no escape or surrogate pair is split, leaving room for the hash of the whole text.
                name.Length = cut;
                return name.Append("%…").Append(((uint)string.GetHashCode(text.AsSpan())).ToString("X8", CultureInfo.InvariantCulture)).ToString();
            }

            if (name.Length <= MaxKeyLength - HashSuffixLength)
            {
                cut = name.Length;
            }
        }

        return name.ToString();
    }

    private static bool NeedsEscape(string text)
    {
        foreach (char c in text)
        {
            if (IsEscaped(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEscaped(char c) =>
        c is '%' or '*'
        || char.IsControl(c)
        || char.IsSurrogate(c)
        || c is '\u061C' or (>= '\u200B' and <= '\u200F') or (>= '\u2028' and <= '\u202E') or (>= '\u2060' and <= '\u206F') or '\uFEFF';
}
