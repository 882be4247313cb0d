using System;
using Breaker.Fleet;
using Breaker.Protocol;

namespace Breaker.Redis.Tests;

/// <summary>The fleet's opening rule and the wire formats, without Redis.</summary>
public sealed class ProtocolTests
{
    private const string Key = "checkout:v3:breaker:{quotes}:counts:web-1";
    private static readonly CircuitBreakerOptions Options = new() { FailureRatio = 0.5, SlowCallRatio = 0.5, MinimumThroughput = 10 };
    private static readonly RecordSigner Unsigned = new(null, []);
    private static readonly RecordSigner Signed = new(new string('k', 32), []);
    private static readonly RoundMark Mark = new("0123456789abcdef", 7);
    private static readonly FleetWriter Writer = new("web-1", TimeSpan.FromSeconds(1), Mark);

    [Fact]
    public void One_instance_failing_alone_never_opens_the_fleet_however_many_calls_it_fails()
    {
        FleetView view = default(FleetView)
            .Add(new InstanceCounts(0, Mark, 1000, 1000, 0, "a"), Options)
            .Add(new InstanceCounts(0, Mark, 2, 0, 0, "b"), Options);

        Assert.True(Options.IsRatioThresholdReached(view.Calls, view.Failures, view.SlowCalls));
        Assert.False(view.ShouldOpen(Options, minimumInstances: 2));
        Assert.True(view.ShouldOpen(Options, minimumInstances: 1));
    }

    [Fact]
    public void The_fleet_opens_on_the_sum_once_enough_instances_cross_and_the_fleet_reaches_the_minimum_throughput()
    {
        FleetView three = default(FleetView)
            .Add(new InstanceCounts(0, Mark, 3, 3, 0, "a"), Options)
            .Add(new InstanceCounts(0, Mark, 3, 3, 0, "b"), Options)
            .Add(new InstanceCounts(0, Mark, 3, 2, 0, "c"), Options);
        FleetView four = three.Add(new InstanceCounts(0, Mark, 3, 1, 0, "d"), Options);

        Assert.False(three.ShouldOpen(Options, 2)); // 9 calls: below MinimumThroughput
        Assert.True(four.ShouldOpen(Options, 2));   // 12 calls, 9 failed, 3 instances crossed
        Assert.False(four.ShouldOpen(Options, 4));
    }

    [Fact]
    public void Slow_calls_open_the_fleet_like_failures()
    {
        FleetView view = default(FleetView)
            .Add(new InstanceCounts(0, Mark, 6, 0, 4, "a"), Options)
            .Add(new InstanceCounts(0, Mark, 6, 0, 3, "b"), Options);

        Assert.True(view.ShouldOpen(Options, 2));
    }

    [Fact]
    public void Each_reader_judges_an_instances_counts_by_its_own_thresholds()
    {
        var counts = new InstanceCounts(0, Mark, 4, 2, 0, "a");
        Assert.True(FleetView.Crosses(counts, Options));
        Assert.False(FleetView.Crosses(counts, new CircuitBreakerOptions { FailureRatio = 0.75 }));
        Assert.False(FleetView.Crosses(counts with { Failures = 1 }, Options));
        Assert.False(FleetView.Crosses(new InstanceCounts(0, Mark, 0, 0, 0, "a"), Options));
    }

    [Fact]
    public void Counts_survive_the_round_trip_through_Redis_signed_or_not()
    {
        var counts = new InstanceCounts(3, Mark, 120, 61, 4, "web-1");
        foreach (RecordSigner signer in new[] { Unsigned, Signed })
        {
            Assert.True(InstanceCounts.TryParse(counts.Format(signer, Key), Key, "web-1", signer, out InstanceCounts read, out string? problem), problem);
            Assert.Equal(counts, read);
        }
    }

    [Theory]
    [InlineData("", "malformed")]
    [InlineData("3|counts|1|0123456789abcdef|7|2|3|web-1", "malformed")]
    [InlineData("3|counts|1|0123456789abcdef|7|x|0|0|web-1|", "malformed")]
    [InlineData("2|counts|1|2|1|0|web-1|", "another wire format version")]
    [InlineData("1|counts|1|0123456789abcdef|7|2|1|0|web-1|", "another wire format version")]
    [InlineData("3|opens|1|0123456789abcdef|7|2|1|0|web-1|", "malformed")]
    [InlineData("3|counts|1|0123456789abcdef|7|-5|0|0|web-1|", "out of range")]
    [InlineData("3|counts|1|0123456789abcdef|7|5|-1|0|web-1|", "out of range")]
    [InlineData("3|counts|1|0123456789abcdef|7|5|6|0|web-1|", "out of range")]
    [InlineData("3|counts|1|0123456789abcdef|7|5|0|6|web-1|", "out of range")]
    [InlineData("3|counts|1|0123456789abcdef|7|1000000000000000000|0|0|web-1|", "out of range")]
    [InlineData("3|counts|-1|0123456789abcdef|7|5|0|0|web-1|", "out of range")]
    [InlineData("3|counts|1|0123456789abcdef|0|5|0|0|web-1|", "out of range")]
    [InlineData("3|counts|1|0123456789abcdef|-7|5|0|0|web-1|", "out of range")]
    [InlineData("3|counts|1|0123456789ABCDEF|7|5|0|0|web-1|", "out of range")]
    [InlineData("3|counts|1|0123|7|5|0|0|web-1|", "out of range")]
    [InlineData("3|counts|1|0123456789abcdef|7|99999999999999999999|0|0|web-1|", "malformed")]
    [InlineData("3|counts|1|0123456789abcdef|7|5|1|0|web-2|", "names another instance than its key")]
    public void Counts_that_are_malformed_out_of_range_or_misplaced_are_refused(string text, string expected)
    {
        Assert.False(InstanceCounts.TryParse(text, Key, "web-1", Unsigned, out _, out string? problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void With_a_key_only_records_tagged_for_their_own_place_with_an_accepted_key_count()
    {
        var counts = new InstanceCounts(1, Mark, 10, 9, 0, "web-1");
        string valid = counts.Format(Signed, Key);
        string otherKey = new RecordSigner(new string('x', 32), []).Sign(Key, valid[..valid.LastIndexOf('|')]);

        Assert.False(InstanceCounts.TryParse(counts.Format(Unsigned, Key), Key, "web-1", Signed, out _, out string? unsigned));
        Assert.Equal("no valid signature", unsigned);
        Assert.False(InstanceCounts.TryParse(valid[..valid.LastIndexOf('|')] + "|" + otherKey, Key, "web-1", Signed, out _, out _));
        Assert.False(InstanceCounts.TryParse(valid.Replace("|10|9|", "|10|8|", StringComparison.Ordinal), Key, "web-1", Signed, out _, out _));

        // Copied to another instance's key (or another breaker's), a valid record is refused.
        string elsewhere = "checkout:v3:breaker:{quotes}:counts:web-2";
        Assert.False(InstanceCounts.TryParse(valid.Replace("web-1|", "web-2|", StringComparison.Ordinal), elsewhere, "web-2", Signed, out _, out _));

        // Rotation: a record signed with the new key is accepted by an instance that signs with the old one and accepts the new.
        var rotating = new RecordSigner(new string('o', 32), [new string('k', 32)]);
        Assert.True(InstanceCounts.TryParse(valid, Key, "web-1", rotating, out _, out _));
        Assert.True(InstanceCounts.TryParse(counts.Format(rotating, Key), Key, "web-1", new RecordSigner(new string('k', 32), [new string('o', 32)]), out _, out _));
    }

    [Fact]
    public void State_records_carry_durations_and_what_remains_is_the_least_of_the_signed_break_and_the_expiry()
    {
        const string stateKey = "checkout:v3:breaker:{quotes}:state";
        var state = FleetState.Break(new FleetVersion(4, 2), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), Writer);

        Assert.True(FleetState.TryParse(state.Format(Signed, stateKey), stateKey, Signed, out FleetState? read, out _));
        Assert.Equal(state, read);
        Assert.Equal(TimeSpan.FromSeconds(40), state.TimeToLive);
        Assert.Equal(TimeSpan.FromSeconds(12), state.RemainingBreak(TimeSpan.FromSeconds(22), TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, state.RemainingBreak(TimeSpan.FromSeconds(7), TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, state.RemainingBreak(null, TimeSpan.Zero));

        // A stretched expiry (PEXPIRE by someone without the key) leaves the signed break less what its writer's rounds show passed.
        Assert.Equal(TimeSpan.FromSeconds(30), state.RemainingBreak(TimeSpan.FromHours(1), TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(10), state.RemainingBreak(TimeSpan.FromHours(1), TimeSpan.FromSeconds(20)));
        Assert.Equal(TimeSpan.Zero, state.RemainingBreak(TimeSpan.FromHours(1), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_writers_rounds_since_its_mark_give_at_least_how_long_ago_it_wrote_and_another_session_vouches_for_nothing()
    {
        var interval = TimeSpan.FromSeconds(1);
        Assert.Equal(TimeSpan.Zero, Mark.ElapsedUntil(Mark, interval));
        Assert.Equal(TimeSpan.Zero, Mark.ElapsedUntil(Mark with { Round = 8 }, interval));   // two rounds may come close together once
        Assert.Equal(TimeSpan.FromSeconds(20), Mark.ElapsedUntil(Mark with { Round = 28 }, interval));
        Assert.Equal(TimeSpan.Zero, Mark.ElapsedUntil(Mark with { Round = 3 }, interval));   // the reader saw an older mark: no time known to have passed
        Assert.Equal(FleetLimits.MaxSharedBreak, Mark.ElapsedUntil(Mark with { Round = FleetLimits.MaxCounter }, interval));
        Assert.Null(Mark.ElapsedUntil(new RoundMark("fedcba9876543210", 28), interval));
    }

    [Fact]
    public void Counts_count_once_seen_moving_and_an_older_mark_of_the_same_session_is_a_replay()
    {
        var peers = new PeerRounds();
        InstanceCounts At(string session, long round) => new(0, new RoundMark(session, round), 10, 10, 0, "web-2");
        const string live = "0123456789abcdef";
        const string dead = "fedcba9876543210";

        Assert.False(peers.Judge(At(live, 5)));           // first sighting: written back or live, nobody can tell yet
        peers.EndRound();
        Assert.True(peers.Judge(At(live, 6)));            // it moved: live
        peers.EndRound();
        Assert.True(peers.Judge(At(live, 6)));            // read again before its writer's next round
        peers.EndRound();
        Assert.Null(peers.Judge(At(live, 2)));            // an older record of the same session: a replay
        peers.EndRound();
        Assert.True(peers.Judge(At(live, 7)));
        peers.EndRound();
        Assert.False(peers.Judge(At(dead, 90)));          // another session (a restart, or an old one written back): not yet
        peers.EndRound();
        Assert.False(peers.Judge(At(dead, 90)));          // written back again, unchanged: never counts
        peers.EndRound();
        Assert.Null(peers.Since("web-2", new RoundMark(dead, 90), TimeSpan.FromSeconds(1)));
        peers.EndRound();                                 // not read this round: forgotten
        Assert.False(peers.Judge(At(live, 8)));
    }

    [Theory]
    [InlineData("3|open|1|1|253402300799999|10000|1000|0123456789abcdef|7|web-1|")] // a break until the year 9999, as an instant or a duration
    [InlineData("3|open|1|1|30000|9999999999|1000|0123456789abcdef|7|web-1|")]      // an endless grace
    [InlineData("3|open|1|0|30000|10000|1000|0123456789abcdef|7|web-1|")]           // a break with no sequence
    [InlineData("3|open|1|1|0|10000|1000|0123456789abcdef|7|web-1|")]
    [InlineData("3|open|1|1|-30000|10000|1000|0123456789abcdef|7|web-1|")]
    [InlineData("3|open|1|1|30000|10000|0|0123456789abcdef|7|web-1|")]              // no interval: any number of rounds in no time
    [InlineData("3|open|1|1|30000|10000|60001|0123456789abcdef|7|web-1|")]          // an interval longer than any instance's
    [InlineData("3|open|1|1|30000|10000|1000|0123456789abcdef|0|web-1|")]           // a round before the first
    [InlineData("3|open|1|1|30000|10000|1000|not-a-session!!|7|web-1|")]
    [InlineData("3|closed|0|0|0|0|1000|0123456789abcdef|7|web-1|")]                 // a close into epoch 0
    [InlineData("3|closed|3|1|0|0|1000|0123456789abcdef|7|web-1|")]
    [InlineData("3|epoch|281474976710657|0|0|0|1000|0123456789abcdef|7|web-1|")]    // past the largest epoch
    [InlineData("3|open|1|1|30000|10000|1000|0123456789abcdef|7|web 1|")]
    [InlineData("2|open|1|1|30000|10000|web-1|")]                        // the previous format
    [InlineData("open|253402300799999|A|quotes")]                        // the first format
    public void State_records_out_of_range_or_of_another_format_are_refused(string text)
    {
        const string stateKey = "checkout:v3:breaker:{quotes}:state";
        Assert.False(FleetState.TryParse(text, stateKey, Unsigned, out FleetState? state, out string? problem));
        Assert.Null(state);
        Assert.NotNull(problem);
    }

    [Fact]
    public void Announcements_carry_any_breaker_name_and_are_bound_to_their_channel()
    {
        var message = new FleetMessage(FleetStateKind.Open, new FleetVersion(1, 2), "web-1", "quotes|eu:west");
        Assert.True(FleetMessage.TryParse(message.Format(Signed, "checkout:v3:breaker-events"), "checkout:v3:breaker-events", Signed, out FleetMessage parsed, out _));
        Assert.Equal(message, parsed);
        Assert.False(FleetMessage.TryParse(message.Format(Signed, "other:v3:breaker-events"), "checkout:v3:breaker-events", Signed, out _, out _));
        Assert.False(FleetMessage.TryParse("3|reopen|1|1|a|b|", "c", Unsigned, out _, out _));
        Assert.False(FleetMessage.TryParse("3|open|x|1|a|b|", "c", Unsigned, out _, out _));
        Assert.False(FleetMessage.TryParse("open|253402300799999|A|quotes", "c", Unsigned, out _, out _));
        Assert.False(FleetMessage.TryParse(null, "c", Unsigned, out _, out _));
    }

    [Fact]
    public void Versions_order_by_epoch_then_sequence_and_a_close_outranks_every_break_before_it()
    {
        var reopened = new FleetVersion(3, 5);
        Assert.True(reopened.NextEpoch > reopened);
        Assert.True(reopened.NextEpoch < reopened.NextEpoch.Opening);
        Assert.True(reopened.Reopening > reopened);
        Assert.True(new FleetVersion(2, 99) < new FleetVersion(3, 0));
    }

    [Fact]
    public void Keys_live_under_the_applications_prefix_and_the_wire_version_with_the_breaker_as_hash_tag()
    {
        var keys = new FleetKeys("checkout", "quotes", "web-1");
        Assert.Equal("checkout:v3:breaker:{quotes}:state", keys.State);
        Assert.Equal("checkout:v3:breaker:{quotes}:counts:web-1", keys.OwnCounts);
        Assert.Equal("checkout:v3:breaker:{quotes}:counts:web-2", keys.CountsOf("web-2"));
        Assert.Equal("checkout:v3:breaker-events", FleetKeys.Channel("checkout").ToString());
    }

    [Fact]
    public void A_fuzzer_over_the_wire_format_never_gets_a_record_past_the_checks_that_breaks_them()
    {
        // Mutations of valid records and messages (truncations, flipped and inserted characters, swapped fields, huge,
        // negative and random numbers, random bytes): whatever parses must satisfy every bound the readers rely on.
        const string stateKey = "checkout:v3:breaker:{quotes}:state";
        const string channel = "checkout:v3:breaker-events";
        var random = new Random(1234);
        string[] seeds =
        [
            new InstanceCounts(3, Mark, 120, 61, 4, "web-1").Format(Unsigned, Key),
            FleetState.Break(new FleetVersion(4, 2), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), Writer).Format(Unsigned, stateKey),
            FleetState.Verdict(new FleetVersion(5, 0), Writer).Format(Unsigned, stateKey),
            new FleetMessage(FleetStateKind.Closed, new FleetVersion(5, 0), "web-1", "quotes").Format(Unsigned, channel),
        ];
        string[] numbers = ["-1", "0", "-9223372036854775808", "9223372036854775807", "99999999999999999999", "1e9", " 5", "0x10", "281474976710657", "1000000001", ""];
        int parsed = 0;
        for (int round = 0; round < 20_000; round++)
        {
            string text = Mutate(seeds[random.Next(seeds.Length)], random, numbers);
            if (InstanceCounts.TryParse(text, Key, "web-1", Unsigned, out InstanceCounts c, out _))
            {
                parsed++;
                Assert.InRange(c.Calls, 0, FleetLimits.MaxCalls);
                Assert.InRange(c.Failures, 0, c.Calls);
                Assert.InRange(c.SlowCalls, 0, c.Calls);
                Assert.InRange(c.Epoch, 0, FleetLimits.MaxCounter);
                Assert.True(RoundMark.IsValid(c.Mark.Session, c.Mark.Round));
                Assert.Equal("web-1", c.InstanceId);
            }

            if (FleetState.TryParse(text, stateKey, Unsigned, out FleetState? s, out _))
            {
                parsed++;
                Assert.InRange(s!.BreakDuration, TimeSpan.Zero, FleetLimits.MaxSharedBreak);
                Assert.InRange(s.Grace, TimeSpan.Zero, FleetLimits.MaxGrace);
                Assert.InRange(s.Interval, TimeSpan.FromMilliseconds(1), FleetLimits.MaxInterval);
                Assert.True(RoundMark.IsValid(s.Mark.Session, s.Mark.Round));
                Assert.InRange(s.Version.Epoch, 0, FleetLimits.MaxCounter);
                Assert.True(s.Kind == FleetStateKind.Open ? s.Version.Sequence >= 1 && s.BreakDuration > TimeSpan.Zero : s.Version.Sequence == 0);
                Assert.True(FleetLimits.IsValidInstanceId(s.InstanceId));
            }

            if (FleetMessage.TryParse(text, channel, Unsigned, out FleetMessage m, out _))
            {
                parsed++;
                Assert.True(FleetLimits.IsValidInstanceId(m.InstanceId));
                Assert.NotEmpty(m.BreakerName);
            }

            // Signed readers take none of the mutants whose payload changed.
            if (InstanceCounts.TryParse(text, Key, "web-1", Signed, out _, out _) || FleetState.TryParse(text, stateKey, Signed, out _, out _))
            {
                Assert.Fail($"A signed reader took an unsigned record: {text}");
            }
        }

        Assert.InRange(parsed, 1, 20_000); // some mutants are still valid records: the bounds above were really exercised
    }

    private static string Mutate(string seed, Random random, string[] numbers)
    {
        string[] fields = seed.Split('|');
        switch (random.Next(7))
        {
            case 0:
                return seed[..random.Next(seed.Length)];
            case 1:
                fields[random.Next(fields.Length)] = numbers[random.Next(numbers.Length)];
                return string.Join('|', fields);
            case 2:
                fields[random.Next(fields.Length)] = random.NextInt64(long.MinValue, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return string.Join('|', fields);
            case 3:
                char[] chars = seed.ToCharArray();
                chars[random.Next(chars.Length)] = (char)random.Next(0, 0x3000);
                return new string(chars);
            case 4:
                int a = random.Next(fields.Length);
                int b = random.Next(fields.Length);
                (fields[a], fields[b]) = (fields[b], fields[a]);
                return string.Join('|', fields);
            case 5:
                return seed.Insert(random.Next(seed.Length), "|");
            default:
                byte[] bytes = new byte[random.Next(0, 80)];
                random.NextBytes(bytes);
                return System.Text.Encoding.Latin1.GetString(bytes);
        }
    }
}
