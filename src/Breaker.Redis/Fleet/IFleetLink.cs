namespace Breaker.Fleet;

/// <summary>What a participant needs from its coordinator: this instance's name, whether the fleet is reachable, and a way to wake the loop.</summary>
internal interface IFleetLink
{
    string InstanceId { get; }

    bool IsCoordinating { get; }

    void Post(Signal signal);
}
