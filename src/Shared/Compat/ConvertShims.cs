#if !NET9_0_OR_GREATER
using System;
using System.Buffers;

/// <summary>netstandard2.0 and net8.0: the lower-case and span-to-span hex conversions of .NET 9.</summary>
internal static class ConvertShims
{
    extension(Convert)
    {
        public static string ToHexStringLower(ReadOnlySpan<byte> bytes)
        {
            const string Digits = "0123456789abcdef";
            char[] text = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                text[2 * i] = Digits[bytes[i] >> 4];
                text[(2 * i) + 1] = Digits[bytes[i] & 0xF];
            }

            return new string(text);
        }

        public static OperationStatus FromHexString(ReadOnlySpan<char> source, Span<byte> destination, out int charsConsumed, out int bytesWritten)
        {
            charsConsumed = 0;
            bytesWritten = 0;
            while (charsConsumed + 1 < source.Length)
            {
                if (bytesWritten == destination.Length)
                {
                    return OperationStatus.DestinationTooSmall;
                }

                int high = HexValue(source[charsConsumed]);
                int low = HexValue(source[charsConsumed + 1]);
                if (high < 0 || low < 0)
                {
                    return OperationStatus.InvalidData;
                }

                destination[bytesWritten++] = (byte)((high << 4) | low);
                charsConsumed += 2;
            }

            return charsConsumed == source.Length ? OperationStatus.Done : OperationStatus.NeedMoreData;
        }
    }

    private static int HexValue(char c) =>
        c is >= '0' and <= '9' ? c - '0'
        : c is >= 'a' and <= 'f' ? c - 'a' + 10
        : c is >= 'A' and <= 'F' ? c - 'A' + 10
        : -1;
}
#endif
