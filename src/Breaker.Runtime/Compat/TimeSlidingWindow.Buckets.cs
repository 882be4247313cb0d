#if !NET8_0_OR_GREATER
using System;
using System.Diagnostics.CodeAnalysis;

namespace Breaker.Windows;

// netstandard2.0 has no inline arrays (a .NET 8 runtime feature): the same buckets as named fields behind a ref indexer,
// so TimeSlidingWindow.cs reaches them exactly as it does the inline array on net8.0+.
internal sealed partial class TimeSlidingWindow
{
    private struct Buckets
    {
        private Bucket _bucket0;
        private Bucket _bucket1;
        private Bucket _bucket2;
        private Bucket _bucket3;
        private Bucket _bucket4;
        private Bucket _bucket5;
        private Bucket _bucket6;
        private Bucket _bucket7;
        private Bucket _bucket8;
        private Bucket _bucket9;

        [UnscopedRef]
        public ref Bucket this[int index]
        {
            get
            {
                switch (index)
                {
                    case 0: return ref _bucket0;
                    case 1: return ref _bucket1;
                    case 2: return ref _bucket2;
                    case 3: return ref _bucket3;
                    case 4: return ref _bucket4;
                    case 5: return ref _bucket5;
                    case 6: return ref _bucket6;
                    case 7: return ref _bucket7;
                    case 8: return ref _bucket8;
                    case 9: return ref _bucket9;
                    default: throw new IndexOutOfRangeException();
                }
            }
        }
    }
}
#endif
