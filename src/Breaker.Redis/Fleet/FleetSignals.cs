using System;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Breaker.Protocol;
using StackExchange.Redis;

namespace Breaker.Fleet;

/// <summary>
/// What wakes the coordination loop between its rounds: other instances' announcements on the application's channel and
/// the participants' own signals, queued for the loop, and what the loop does about each. An announcement is only a
/// reason to read the fleet's state from Redis; nothing it says is applied as such.
/// </summary>
internal sealed class FleetSignals
{
    private readonly RedisExchange _exchange;
    private readonly RedisChannel _channel;
    private readonly RecordSigner _signer;
    private readonly UntrustedSources _untrusted;
    private readonly ConcurrentDictionary<string, BreakerParticipant> _participants;
    private readonly IFleetLink _link;
    private readonly FleetStateSync _sync;
    private readonly ProbeLeaseKeeper _lease;
    private readonly Channel<Signal> _inbox = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Action<RedisChannel, RedisValue> _onAnnouncement;
    private bool _subscribed;

    public FleetSignals(
        RedisExchange exchange,
        RedisChannel channel,
        RecordSigner signer,
        UntrustedSources untrusted,
        ConcurrentDictionary<string, BreakerParticipant> participants,
        IFleetLink link,
        FleetStateSync sync,
        ProbeLeaseKeeper lease)
    {
        _exchange = exchange;
        _channel = channel;
        _signer = signer;
        _untrusted = untrusted;
        _participants = participants;
        _link = link;
        _sync = sync;
        _lease = lease;
        _onAnnouncement = OnAnnouncement;
    }

    public void Post(Signal signal) => _inbox.Writer.TryWrite(signal);

    public ValueTask<bool> WaitToReadAsync(CancellationToken stopping) => _inbox.Reader.WaitToReadAsync(stopping);

    public bool TryRead([MaybeNullWhen(false)] out Signal signal) => _inbox.Reader.TryRead(out signal);

    /// <summary>Subscribes to the channel at the first round that reaches Redis (dropping any subscription left from a failed attempt).</summary>
    public async Task EnsureSubscribedAsync(CancellationToken stopping)
    {
        if (!_subscribed)
        {
            ISubscriber subscriber = _exchange.Connection.GetSubscriber();
            await _exchange.WaitAsync(subscriber.UnsubscribeAsync(_channel, _onAnnouncement), stopping).ConfigureAwait(false);
            await _exchange.WaitAsync(subscriber.SubscribeAsync(_channel, _onAnnouncement), stopping).ConfigureAwait(false);
            _subscribed = true;
        }
    }

    public Task UnsubscribeAsync() => _exchange.Connection.GetSubscriber().UnsubscribeAsync(_channel, _onAnnouncement);

    public async Task HandleAsync(Signal signal, CancellationToken stopping)
    {
        BreakerParticipant p = signal.Participant;
        switch (signal.Kind)
        {
            case SignalKind.Sync:
                // Cleared first, whatever happens next: a later announcement must be able to ask again.
                p.SyncStarted();
                if (_link.IsCoordinating && signal.Announced > p.Version)
                {
                    await _sync.SyncAsync(p, stopping).ConfigureAwait(false);
                }

                break;

            case SignalKind.LeaseWanted when _link.IsCoordinating && p.FollowsBreak && !p.HoldsLease:
                await _lease.TakeAsync(p, _exchange.Connection.GetDatabase(), stopping).ConfigureAwait(false);
                break;

            case SignalKind.Verdict when p.HoldsLease:
                await _lease.PublishVerdictAsync(p, signal, stopping).ConfigureAwait(false);
                break;
        }
    }

    private void OnAnnouncement(RedisChannel channel, RedisValue value)
    {
        if (!FleetMessage.TryParse(value, _channel.ToString(), _signer, out FleetMessage message, out string? problem))
        {
            _untrusted.Report("announcement", "the channel", "?", problem!);
            return;
        }

        // Only announcements from instances this one counted at its last round are worth a read; the others (forged
        // names, or an instance too new to be counted yet) are caught up with at the next round anyway.
        if (message.InstanceId != _link.InstanceId
            && _participants.TryGetValue(message.BreakerName, out BreakerParticipant? participant)
            && participant.Knows(message.InstanceId)
            && participant.TryRequestSync())
        {
            _inbox.Writer.TryWrite(new Signal(SignalKind.Sync, participant) { Announced = message.Version });
        }
    }
}
