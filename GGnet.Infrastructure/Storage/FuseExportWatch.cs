using GGnet.Core.Ports;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// Supervises the overlay exports: when a qemu-storage-daemon dies (killed, crashed), a reconcile runs at once; it
/// restarts the export and remakes the session's iSCSI target on it, so the PC's initiator can log in again.
/// </summary>
public sealed class FuseExportWatch(FuseExports exports, ISessionJobs jobs, GGnet.Core.Nodes.LocalNode node, TimeProvider clock, ILogger<FuseExportWatch> logger)
    : PeriodicCheck(clock, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(2);

    // Should the job store (the database) be down, the recurring reconcile heals the export later: the log line says so.
    protected override string Work => "Queueing a reconcile at once for a stopped disk export (the one each minute still restarts it)";

    protected override Task PassAsync(CancellationToken cancellationToken)
    {
        var dead = exports.TakeDead();
        if (dead.Count > 0)
        {
            logger.LogWarning("The disk export of {Disks} stopped; restarting it", string.Join(", ", dead.Select(Path.GetFileName)));
            jobs.EnqueueReconcile(node.Key);
        }
        return Task.CompletedTask;
    }
}
