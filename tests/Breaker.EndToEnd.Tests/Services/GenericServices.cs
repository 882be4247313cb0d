using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace Breaker.EndToEnd.Tests.Services;

public partial class Outer<TOuter>
{
    public partial struct Middle<TMiddle>
    {
        public partial record Repository(TOuter Owner)
        {
            public bool Fail { get; set; }

            [CircuitBreaker("e2e-generic", Fallback = nameof(Default))]
            public partial KeyValuePair<TOuter, TItem?> Find<TItem>(TMiddle key, TItem? hint)
                where TItem : class;

            private KeyValuePair<TOuter, TItem?> FindCore<TItem>(TMiddle key, TItem? hint)
                where TItem : class => Fail ? throw new KeyNotFoundException(key?.ToString()) : new(Owner, hint);

            private KeyValuePair<TOuter, TItem?> Default<TItem>(TMiddle key, TItem? hint)
                where TItem : class => new(Owner, null);

            [CircuitBreaker("e2e-generic-echo")]
            public static partial ValueTask<TMiddle> EchoAsync(TMiddle value);

            private static ValueTask<TMiddle> EchoAsyncCore(TMiddle value) => new(value);
        }
    }
}

public readonly partial record struct Temperature(double Celsius)
{
    [CircuitBreaker("e2e-record-struct", Fallback = nameof(Unknown))]
    public partial string Describe(IFormatProvider? provider = null);

    private string DescribeCore(IFormatProvider? provider) =>
        double.IsNaN(Celsius) ? throw new ArgumentException("no reading") : Celsius.ToString("0.0", provider) + " C";

    private string Unknown(IFormatProvider? provider) => "unknown";
}
