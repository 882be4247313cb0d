using System;
using Breaker.Samples.Console.Infrastructure;
using Breaker.Samples.Console.Services;

namespace Breaker.Samples.Console;

/// <summary>The decorator step: a breaker on an interface the demo does not own, generated from one attribute.</summary>
internal sealed class DecoratorDemo(SampleClock clock)
{
    public void InterfaceYouDoNotOwn()
    {
        Terminal.Step("A decorator for an interface the demo does not own (generated code)");
        Terminal.Line("[CircuitBreaker(\"shipping\", ...)] sealed partial class ShippingClientBreaker : IShippingClient;");
        var carrier = new CarrierClient { Down = true };
        IShippingClient shipping = new ShippingClientBreaker(carrier);
        Terminal.Line($"region {shipping.Region} (a property, forwarded as is); the carrier is down:");
        for (int i = 1; i <= 3; i++)
        {
            try
            {
                Terminal.Outcome(true, "pickup booked: " + shipping.BookPickup("parcel-" + i));
            }
            catch (BrokenCircuitException)
            {
                Terminal.Outcome(false, "pickup rejected: circuit 'shipping' is open; the carrier was not called");
            }
            catch (TimeoutException error)
            {
                Terminal.Outcome(false, "pickup failed: " + error.Message);
            }
        }

        Terminal.Outcome(false, $"quote while open: {shipping.Quote("parcel-1")} cents (the customised member's fallback)");
        Terminal.Line($"the carrier received {carrier.Received} of 4 calls");
        CircuitBreaker breaker = CircuitBreakerRegistry.Default.TryGet("shipping", out CircuitBreaker? found)
            ? found
            : throw new InvalidOperationException("The generated decorator did not register the 'shipping' breaker.");
        Terminal.State(breaker);

        Terminal.Line("30 seconds later the carrier is back; the next call is the probe that closes the circuit:");
        clock.Advance(TimeSpan.FromSeconds(30));
        carrier.Down = false;
        Terminal.Outcome(true, "pickup booked: " + shipping.BookPickup("parcel-4"));
        Terminal.State(breaker);
    }
}
