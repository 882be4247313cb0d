#if !NET8_0_OR_GREATER
using System;

/// <summary>netstandard2.0: <c>ContainsAnyExceptInRange</c> and <c>ContainsAnyInRange</c> (.NET 8) on a span of characters.</summary>
internal static class SpanShims
{
    extension(ReadOnlySpan<char> span)
    {
        public bool ContainsAnyExceptInRange(char lowInclusive, char highInclusive)
        {
            foreach (char c in span)
            {
                if (c < lowInclusive || c > highInclusive)
                {
                    return true;
                }
            }

            return false;
        }

        public bool ContainsAnyInRange(char lowInclusive, char highInclusive)
        {
            foreach (char c in span)
            {
                if (c >= lowInclusive && c <= highInclusive)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
#endif
