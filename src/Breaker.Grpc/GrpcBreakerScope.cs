namespace Breaker;

/// <summary>Which calls of a gRPC client share a breaker (<see cref="GrpcCircuitBreakerOptions.Scope"/>).</summary>
public enum GrpcBreakerScope
{
    /// <summary>One breaker for every call of the client: the breaker named after the client's breaker name.</summary>
    Client,

    /// <summary>
    /// One breaker per method, named <c>name:/package.Service/Method</c>, in the keyed group <c>name</c>: a failing method
    /// does not break its healthy neighbours.
    /// </summary>
    Method,

    /// <summary>
    /// One breaker per host (the client's address, with its port), named <c>name:host:port</c>, in the keyed group
    /// <c>name</c>: every client of that breaker name calling the same host shares it.
    /// </summary>
    Host,
}
