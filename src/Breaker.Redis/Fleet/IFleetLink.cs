namespace Breaker.Fleet;

/// <summary>What a participant needs from its coordinator: whether the fleet is reachable, and a way to wake the loop.</summary>
internal interface IFleetLink
{
    bool IsCoordinating { get; }

    void Post(Signal signal);
}
