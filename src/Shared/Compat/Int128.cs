#if !NET8_0_OR_GREATER
namespace System;

/// <summary>
/// netstandard2.0: the part of <c>System.Int128</c> (.NET 7+) that Breaker's tick arithmetic uses (a product of two
/// 64-bit numbers divided by a third, without overflow), two's complement in two 64-bit halves. Values that fit in 64
/// bits, which is nearly every duration, take a plain <see cref="long"/> division.
/// </summary>
internal readonly struct Int128 : IComparable<Int128>
{
    private readonly ulong _upper;
    private readonly ulong _lower;

    private Int128(ulong upper, ulong lower)
    {
        _upper = upper;
        _lower = lower;
    }

    private bool IsNegative => (long)_upper < 0;

    private bool FitsInInt64 => _upper == ((long)_lower < 0 ? ulong.MaxValue : 0UL);

    public static implicit operator Int128(long value) => new(value < 0 ? ulong.MaxValue : 0UL, (ulong)value);

    public static explicit operator long(Int128 value) => (long)value._lower;

    public static Int128 operator +(Int128 left, Int128 right)
    {
        ulong lower = left._lower + right._lower;
        return new(left._upper + right._upper + (lower < left._lower ? 1UL : 0UL), lower);
    }

    public static Int128 operator -(Int128 value) => new Int128(~value._upper, ~value._lower) + 1;

    public static Int128 operator -(Int128 left, Int128 right) => left + -right;

    public static Int128 operator *(Int128 left, Int128 right)
    {
        ulong upper = MultiplyHigh(left._lower, right._lower, out ulong lower);
        return new(upper + (left._upper * right._lower) + (left._lower * right._upper), lower);
    }

    public static Int128 operator /(Int128 left, Int128 right)
    {
        if (left.FitsInInt64 && right.FitsInInt64)
        {
            long dividend = (long)left;
            long divisor = (long)right;

            // long.MinValue / -1 is the one 64-bit quotient that does not fit in 64 bits.
            return dividend == long.MinValue && divisor == -1 ? -(Int128)long.MinValue : dividend / divisor;
        }

        bool negative = left.IsNegative != right.IsNegative;
        Int128 quotient = DivideUnsigned(left.IsNegative ? -left : left, right.IsNegative ? -right : right);
        return negative ? -quotient : quotient;
    }

    public static bool operator <(Int128 left, Int128 right) => left.CompareTo(right) < 0;

    public static bool operator >(Int128 left, Int128 right) => left.CompareTo(right) > 0;

    public static bool operator <=(Int128 left, Int128 right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Int128 left, Int128 right) => left.CompareTo(right) >= 0;

    public static Int128 Max(Int128 x, Int128 y) => x >= y ? x : y;

    public static Int128 Min(Int128 x, Int128 y) => x <= y ? x : y;

    public int CompareTo(Int128 other) =>
        _upper != other._upper ? ((long)_upper).CompareTo((long)other._upper) : _lower.CompareTo(other._lower);

    // The 128-bit product of two 64-bit numbers, from four 32-bit partial products.
    private static ulong MultiplyHigh(ulong a, ulong b, out ulong low)
    {
        ulong aLow = (uint)a, aHigh = a >> 32, bLow = (uint)b, bHigh = b >> 32;
        ulong lowLow = aLow * bLow;
        ulong highLow = aHigh * bLow;
        ulong lowHigh = aLow * bHigh;
        ulong middle = (lowLow >> 32) + (uint)highLow + (uint)lowHigh;
        low = (middle << 32) | (uint)lowLow;
        return (aHigh * bHigh) + (highLow >> 32) + (lowHigh >> 32) + (middle >> 32);
    }

    // Shift-and-subtract long division of two non-negative values (the magnitude of long.MinValue included).
    private static Int128 DivideUnsigned(Int128 dividend, Int128 divisor)
    {
        if (divisor._upper == 0 && divisor._lower == 0)
        {
            throw new DivideByZeroException();
        }

        ulong quotientUpper = 0, quotientLower = 0, remainderUpper = 0, remainderLower = 0;
        for (int bit = 127; bit >= 0; bit--)
        {
            remainderUpper = (remainderUpper << 1) | (remainderLower >> 63);
            remainderLower = (remainderLower << 1) | ((bit >= 64 ? dividend._upper >> (bit - 64) : dividend._lower >> bit) & 1);
            if (remainderUpper > divisor._upper || (remainderUpper == divisor._upper && remainderLower >= divisor._lower))
            {
                ulong lower = remainderLower - divisor._lower;
                remainderUpper = remainderUpper - divisor._upper - (lower > remainderLower ? 1UL : 0UL);
                remainderLower = lower;
                if (bit >= 64)
                {
                    quotientUpper |= 1UL << (bit - 64);
                }
                else
                {
                    quotientLower |= 1UL << bit;
                }
            }
        }

        return new(quotientUpper, quotientLower);
    }
}
#endif
