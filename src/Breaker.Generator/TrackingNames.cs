namespace Breaker.Generator
{
    /// <summary>The names of the generator's pipeline steps, for incrementality tests.</summary>
    public static class TrackingNames
    {
        /// <summary>Methods carrying <c>[CircuitBreaker]</c>, parsed into models (<see langword="null"/> when unsupported).</summary>
        public const string ParsedMethods = nameof(ParsedMethods);

        /// <summary>The models of the methods that yield code.</summary>
        public const string SupportedMethods = nameof(SupportedMethods);
    }
}
