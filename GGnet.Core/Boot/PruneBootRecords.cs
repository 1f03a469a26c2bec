using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Boot;

/// <summary>
/// What anonymous boot traffic may leave behind, bounded (settings Boot:EventsKeepDays, Boot:DiscoveredKeepDays,
/// Boot:MaxDiscoveredPcs): anyone on the boot network can make boot events and Discovered PCs by asking for scripts.
/// </summary>
public sealed record BootRetention(int EventsKeepDays, int DiscoveredKeepDays, int MaxDiscoveredPcs);

/// <summary>The nightly clean-up: boot events older than their retention, Discovered PCs not seen for long; recorded in the audit.</summary>
public sealed class PruneBootRecords(IBootRepository boot, IAuditLog audit, BootRetention retention, TimeProvider clock)
{
    public const string Actor = "schedule:boot-retention";

    public async Task<(int Events, int Discovered)> ExecuteAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var (events, discovered) = await boot.PruneAsync(now.AddDays(-retention.EventsKeepDays), now.AddDays(-retention.DiscoveredKeepDays), cancellationToken);
        if (events + discovered > 0)
        {
            await audit.WriteAsync(new AuditEvent(now, Actor, AuditActions.BootRecordsPruned, "boot", null, null, string.Create(CultureInfo.InvariantCulture,
                $"{events} boot events older than {retention.EventsKeepDays} days and {discovered} Discovered PCs not seen for {retention.DiscoveredKeepDays} days deleted")), cancellationToken);
        }
        return (events, discovered);
    }
}
