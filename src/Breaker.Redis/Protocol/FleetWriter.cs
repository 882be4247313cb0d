using System;

namespace Breaker.Protocol;

/// <summary>Who writes a state record, and where its rounds stood then: the instance, its publish interval and its round mark.</summary>
internal readonly record struct FleetWriter(string InstanceId, TimeSpan Interval, RoundMark Mark);
