#if !NET8_0_OR_GREATER
using System;
using System.Text;

/// <summary>
/// netstandard2.0: culture-explicit interpolation (<c>string.Create(provider, $"...")</c>,
/// <c>StringBuilder.Append(provider, $"...")</c>) through <see cref="FormattableString"/>, which formats the same text
/// at the cost of one argument array; these run on messages and summaries, never on a call's path. Also the
/// single-character separators of <c>string.Join</c> and <c>string.Split</c> (.NET Core 2.0+).
/// </summary>
internal static class StringShims
{
    extension(string)
    {
        public static string Create(IFormatProvider? provider, FormattableString text) => text.ToString(provider);

        /// <summary>A hash of the characters (FNV-1a), stable within the process like <c>string.GetHashCode(ReadOnlySpan&lt;char&gt;)</c>.</summary>
        public static int GetHashCode(ReadOnlySpan<char> text)
        {
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return (int)hash;
        }

        public static string Join(char separator, params object?[] values) => string.Join(separator.ToString(), values);
    }

    extension(string text)
    {
        public string[] Split(char separator, int count) => text.Split([separator], count);
    }

    extension(StringBuilder builder)
    {
        public StringBuilder Append(IFormatProvider? provider, FormattableString text) => builder.Append(text.ToString(provider));
    }
}
#endif
