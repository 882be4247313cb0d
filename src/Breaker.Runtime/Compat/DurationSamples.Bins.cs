#if !NET8_0_OR_GREATER
using System;
using System.Diagnostics.CodeAnalysis;

namespace Breaker.Windows;

// netstandard2.0 has no inline arrays (a .NET 8 runtime feature): the same bins as named fields behind a ref indexer,
// so DurationSamples.cs reads and writes them exactly as it does the inline array on net8.0+.
internal partial struct DurationSamples
{
    private struct Bins
    {
        private byte _bin0;
        private byte _bin1;
        private byte _bin2;
        private byte _bin3;
        private byte _bin4;
        private byte _bin5;
        private byte _bin6;
        private byte _bin7;

        [UnscopedRef]
        public ref byte this[int index]
        {
            get
            {
                switch (index)
                {
                    case 0: return ref _bin0;
                    case 1: return ref _bin1;
                    case 2: return ref _bin2;
                    case 3: return ref _bin3;
                    case 4: return ref _bin4;
                    case 5: return ref _bin5;
                    case 6: return ref _bin6;
                    case 7: return ref _bin7;
                    default: throw new IndexOutOfRangeException();
                }
            }
        }
    }
}
#endif
