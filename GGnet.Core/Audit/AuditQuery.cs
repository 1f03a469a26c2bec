using GGnet.Core.Common;

namespace GGnet.Core.Audit;

/// <summary>Filters for the audit list; every filter is optional.</summary>
public sealed record AuditQuery(PageRequest Page, string? Actor = null, string? EntityType = null, string? Search = null);
