using System;
using System.IO;
using Breaker.EndToEnd.Tests.Services;

namespace Breaker.EndToEnd.Tests;

public class SyncShapeTests
{
    [Fact]
    public void Opens_after_failures_then_rejects_with_BrokenCircuitException_and_recovers_after_the_break()
    {
        var inventory = new Inventory();
        var failure = new InvalidOperationException("database down");
        Assert.Equal(3, inventory.Count("abc"));
        inventory.Failure = failure;

        for (int i = 0; i < 3; i++)
        {
            InvalidOperationException thrown = Assert.Throws<InvalidOperationException>(() => inventory.Count("abc"));
            Assert.Same(failure, thrown);
        }

        Assert.Equal(CircuitState.Open, TestClock.Breaker("e2e-inventory").State);
        BrokenCircuitException rejected = Assert.Throws<BrokenCircuitException>(() => inventory.Count("abc"));
        Assert.Equal("e2e-inventory", rejected.CircuitName);
        Assert.Equal(4, inventory.CoreCalls);

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-inventory");
        Assert.Equal(1, metrics.SuccessfulCalls);
        Assert.Equal(3, metrics.FailedCalls);
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(1, metrics.CircuitOpens);
        Assert.Equal(0, metrics.FallbackCalls);

        inventory.Failure = null;
        TestClock.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(3, inventory.Count("abc"));
        Assert.Equal(3, inventory.Count("abc"));
        Assert.Equal(CircuitState.Closed, TestClock.Breaker("e2e-inventory").State);
        Assert.Equal(1, TestClock.Metrics("e2e-inventory").CircuitCloses);
    }

    [Fact]
    public void Fallback_answers_failures_with_the_exception_and_rejections_with_BrokenCircuitException()
    {
        var prices = new PriceList();
        var failure = new TimeoutException("slow");
        prices.Failure = failure;

        Assert.Equal(-1m, prices.Price("a"));
        Assert.Same(failure, prices.FallbackReceived);
        Assert.Equal(-1m, prices.Price("a"));
        Assert.Equal(CircuitState.Open, TestClock.Breaker("e2e-prices").State);

        prices.Failure = null;
        Assert.Equal(-1m, prices.Price("a"));
        BrokenCircuitException rejection = Assert.IsType<BrokenCircuitException>(prices.FallbackReceived);
        Assert.Equal("e2e-prices", rejection.CircuitName);

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-prices");
        Assert.Equal(2, metrics.FailedCalls);
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(3, metrics.FallbackCalls);
    }

    [Fact]
    public void The_most_specific_fallback_overload_handles_each_exception()
    {
        var store = new FileStore { Failure = new FileNotFoundException("gone") };
        Assert.Equal("missing:a.txt", store.Read("a.txt"));

        store.Failure = new IOException("disk");
        Assert.Equal("io:disk", store.Read("a.txt"));

        store.Failure = new InvalidOperationException("other");
        Assert.Equal("unknown", store.Read("a.txt"));

        Assert.Equal(CircuitState.Open, TestClock.Breaker("e2e-files").State);
        Assert.Equal("open:e2e-files", store.Read("a.txt"));
        Assert.Equal(4, TestClock.Metrics("e2e-files").FallbackCalls);
    }

    [Fact]
    public void Ignores_Handles_and_FailureWhen_classify_outcomes()
    {
        var classifier = new Classifier { Failure = new FileNotFoundException("ignored") };
        Assert.Throws<FileNotFoundException>(() => classifier.Send("/"));

        classifier.Failure = new InvalidOperationException("not handled");
        Assert.Throws<InvalidOperationException>(() => classifier.Send("/"));

        classifier.Failure = new IOException("handled");
        Assert.Throws<IOException>(() => classifier.Send("/"));

        classifier.Failure = null;
        classifier.Status = 503;
        Assert.Equal(503, classifier.Send("/"));

        classifier.Status = 200;
        Assert.Equal(200, classifier.Send("/"));

        // A FailureWhen predicate that throws: the exception reaches the caller and the call gives its permit back.
        classifier.Status = -1;
        Assert.Throws<ArgumentOutOfRangeException>(() => classifier.Send("/"));

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-classify");
        Assert.Equal(2, metrics.IgnoredCalls);
        Assert.Equal(2, metrics.FailedCalls);
        Assert.Equal(2, metrics.SuccessfulCalls);
    }

    [Fact]
    public void Span_parameters_reach_the_implementation_and_the_fallback()
    {
        Span<byte> scratch = stackalloc byte[3];

        Assert.Equal(6, Checksum.Compute([1, 2, 3], scratch));
        Assert.Equal(new byte[] { 1, 2, 3 }, scratch.ToArray());

        Checksum.Fail = true;
        try
        {
            Assert.Equal(-1, Checksum.Compute([1, 2, 3], scratch));
            Assert.Equal(new byte[] { 0, 0, 0 }, scratch.ToArray());
        }
        finally
        {
            Checksum.Fail = false;
        }

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-checksum");
        Assert.Equal(1, metrics.SuccessfulCalls);
        Assert.Equal(1, metrics.FailedCalls);
        Assert.Equal(1, metrics.FallbackCalls);
    }

    [Fact]
    public void Ref_and_out_parameters_flow_through_the_implementation_and_the_fallback()
    {
        var parser = new Parser();
        int position = 1;

        Assert.True(parser.TryParse("ff", ref position, out int value, 16));
        Assert.Equal(255, value);
        Assert.Equal(3, position);

        parser.Fail = true;
        Assert.False(parser.TryParse("ff", ref position, out value));
        Assert.Equal(-1, value);

        parser.Fail = false;
        Assert.False(parser.TryParse("12", ref position, out value));
        Assert.Equal(-2, value);
        Assert.Equal(3, position);
    }

    [Fact]
    public void Out_parameters_with_nullability_attributes_keep_their_promise_to_the_caller()
    {
        var settings = new SettingsStore();

        // Each dereference below compiles warning-free (warnings are errors here) only because the generated
        // method keeps the declaration's [NotNullWhen(true)] and [MaybeNullWhen(false)].
        Assert.True(settings.TryGet("region", out string? region));
        Assert.Equal(7, region.Length);
        Assert.False(settings.TryGet("missing", out string? missing));
        Assert.Null(missing);
        Assert.True(settings.TryRead("retries", out int retries));
        Assert.Equal(3, retries);
        Assert.True(settings.TryRead<object>("region", out object? boxed));
        Assert.Equal("eu-west", boxed.ToString());
        Assert.False(settings.TryRead<string>("retries", out string? wrongType));
        Assert.Null(wrongType);

        settings.Fail = true;
        Assert.False(settings.TryGet("region", out string? duringFailure));
        Assert.Null(duringFailure);
        Assert.IsType<IOException>(settings.FallbackReceived);
        Assert.False(settings.TryGet("region", out _));
        Assert.Equal(CircuitState.Open, TestClock.Breaker("e2e-settings").State);

        settings.Fail = false;
        Assert.False(settings.TryGet("region", out string? whileOpen));
        Assert.Null(whileOpen);
        Assert.Equal("e2e-settings", Assert.IsType<BrokenCircuitException>(settings.FallbackReceived).CircuitName);

        TestClock.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(settings.TryGet("region", out string? afterBreak));
        Assert.Equal("eu-west", afterBreak);

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-settings");
        Assert.Equal(2, metrics.FailedCalls);
        Assert.Equal(1, metrics.RejectedCalls);
        Assert.Equal(3, metrics.FallbackCalls);
        Assert.Equal(3, TestClock.Metrics("e2e-settings-typed").SuccessfulCalls);
    }

    [Fact]
    public void Void_methods_use_their_fallback_and_extension_methods_are_guarded()
    {
        var notifier = new Notifier();
        notifier.Notify("hello");
        notifier.Fail = true;
        notifier.Notify("hello");

        Assert.Equal(1, notifier.Sent);
        Assert.Equal(1, notifier.Queued);
        Assert.Equal(1, TestClock.Metrics("e2e-notifier").FallbackCalls);

        Assert.Equal(3, "one two three".WordCount());
        Assert.Equal(1, TestClock.Metrics("e2e-extension").SuccessfulCalls);
    }

    [Fact]
    public void Generic_methods_on_nested_generic_types_share_the_named_breaker()
    {
        var repository = new Outer<int>.Middle<string>.Repository(7);
        Assert.Equal(new(7, "hint"), repository.Find("key", "hint"));

        repository.Fail = true;
        Assert.Equal(new(7, null), repository.Find<string>("key", "hint"));

        var other = new Outer<string>.Middle<Guid>.Repository("owner");
        Assert.Equal(new("owner", (Uri?)null), other.Find<Uri>(Guid.Empty, null));

        CircuitBreakerMetrics metrics = TestClock.Metrics("e2e-generic");
        Assert.Equal(2, metrics.SuccessfulCalls);
        Assert.Equal(1, metrics.FailedCalls);
        Assert.Equal(1, metrics.FallbackCalls);

        Assert.Equal("unknown", new Temperature(double.NaN).Describe());
        Assert.Equal("21.5 C", new Temperature(21.5).Describe(System.Globalization.CultureInfo.InvariantCulture));
    }
}
