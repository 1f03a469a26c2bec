using System.Globalization;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Audit;

/// <summary>How long audit events are kept (Audit:RetentionDays).</summary>
public sealed record AuditRetention(int Days);

/// <summary>The nightly clean-up: audit events older than the retention go; that they went is itself recorded.</summary>
public sealed class PruneAuditEvents(IAuditLog auditLog, AuditRetention retention, TimeProvider clock)
{
    public const string Actor = "schedule:audit-retention";

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var before = now.AddDays(-retention.Days);
        var pruned = await auditLog.DeleteOlderThanAsync(before, cancellationToken);
        if (pruned > 0)
        {
            await auditLog.WriteAsync(new AuditEvent(now, Actor, AuditActions.AuditPruned, "audit", null, null,
                string.Create(CultureInfo.InvariantCulture, $"{pruned} events recorded before {before:yyyy-MM-dd HH:mm} UTC deleted (kept: {retention.Days} days)")), cancellationToken);
        }
        return pruned;
    }
}
