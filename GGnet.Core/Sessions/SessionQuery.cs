using GGnet.Core.Common;
using GGnet.Core.Domain.Sessions;

namespace GGnet.Core.Sessions;

public sealed record SessionQuery(PageRequest Page, SessionState? State = null, int? MachineId = null, bool ActiveOnly = false);

/// <summary>Counts by state and how long boots took (Ready → Online).</summary>
public sealed record SessionStats(IReadOnlyDictionary<SessionState, int> ByState, double? MedianBootSeconds, double? LongestBootSeconds);
