using System;

namespace Breaker.Samples.Console.Services;

/// <summary>
/// A shipping carrier's client interface. The demo pretends it ships in the carrier's SDK: it cannot put attributes on
/// it, so <see cref="ShippingClientBreaker"/> decorates it.
/// </summary>
internal interface IShippingClient
{
    /// <summary>The carrier's region (a property: forwarded without a breaker).</summary>
    string Region { get; }

    /// <summary>Books a pickup and returns its reference.</summary>
    string BookPickup(string parcel);

    /// <summary>Quotes the price of a parcel, in cents.</summary>
    int Quote(string parcel);
}

/// <summary>The carrier's implementation: its service is down while <see cref="Down"/> is set.</summary>
internal sealed class CarrierClient : IShippingClient
{
    public bool Down { get; set; }

    public int Received { get; private set; }

    public string Region => "eu-north";

    public string BookPickup(string parcel) => Call("pickup-" + parcel);

    public int Quote(string parcel) => Call(parcel.Length * 100);

    private T Call<T>(T answer)
    {
        Received++;
        return Down ? throw new TimeoutException("the carrier did not answer") : answer;
    }
}

/// <summary>
/// The whole decorator: the generator writes the constructor and every member of <see cref="IShippingClient"/> that is not
/// written here, each through the <c>shipping</c> breaker; <see cref="Quote"/> is customised with a fallback.
/// </summary>
[CircuitBreaker("shipping", ConsecutiveFailureThreshold = 2, BreakDurationMs = 30_000, SuccessThreshold = 1)]
internal sealed partial class ShippingClientBreaker : IShippingClient
{
    [CircuitBreaker("shipping", Fallback = nameof(FlatRate), ConsecutiveFailureThreshold = 2, BreakDurationMs = 30_000, SuccessThreshold = 1)]
    public partial int Quote(string parcel);

    private static int FlatRate(string parcel) => 999;
}
