namespace Breaker.AspNetCore.Tests.Infrastructure;

/// <summary>Tests that count a clock's reads run with no other test, whose meter listeners would read the same breakers.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClockReadingCollection
{
    public const string Name = "Clock reads counted";
}
