#if !NET8_0_OR_GREATER
using System;

/// <summary>netstandard2.0: the generic <c>Enum.GetValues&lt;TEnum&gt;()</c> of .NET 5+.</summary>
internal static class EnumShims
{
    extension(Enum)
    {
        public static TEnum[] GetValues<TEnum>()
            where TEnum : struct, Enum => (TEnum[])Enum.GetValues(typeof(TEnum));
    }
}
#endif
