using GGnet.Core.Common;
using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Sessions;

/// <summary>
/// Which sessions to list: every filter given must match; Since keeps sessions started then or later, UpdatedSince those
/// that changed then or later; EndedBadly keeps those that failed or that GGnet stopped by itself (with a
/// <see cref="Session.StopReason"/>).
/// </summary>
public sealed record SessionQuery(
    PageRequest Page,
    SessionState? State = null,
    int? MachineId = null,
    bool ActiveOnly = false,
    int? GroupId = null,
    int? ImageId = null,
    SessionType? Type = null,
    DateTime? Since = null,
    bool EndedBadly = false,
    DateTime? UpdatedSince = null);

/// <summary>Counts by state and how long boots took (Ready → Online).</summary>
public sealed record SessionStats(IReadOnlyDictionary<SessionState, int> ByState, double? MedianBootSeconds, double? LongestBootSeconds);
