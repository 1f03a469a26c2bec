using GGnet.Core.Common;

namespace GGnet.Core.Audit;

/// <summary>
/// Filters for the audit list; every filter is optional. Action matches whole or by its start ("session." for every
/// session action); From and To bound the time (UTC, To exclusive).
/// </summary>
public sealed record AuditQuery(
    PageRequest Page,
    string? Actor = null,
    string? EntityType = null,
    string? Search = null,
    string? Action = null,
    DateTime? From = null,
    DateTime? To = null);
