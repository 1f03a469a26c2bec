using GGnet.Core.Ports;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// Supervises the overlay exports: when a qemu-storage-daemon dies (killed, crashed), a reconcile runs at once; it
/// restarts the export and remakes the session's iSCSI target on it, so the PC's initiator can log in again.
/// </summary>
public sealed class FuseExportWatch(FuseExports exports, ISessionJobs jobs, GGnet.Core.Nodes.LocalNode node, ILogger<FuseExportWatch> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var dead = exports.TakeDead();
            if (dead.Count > 0)
            {
                logger.LogWarning("The disk export of {Disks} stopped; restarting it", string.Join(", ", dead.Select(Path.GetFileName)));
                try
                {
                    jobs.EnqueueReconcile(node.Key);
                }
                catch (Exception unreachable) when (unreachable is not OperationCanceledException)
                {
                    // The job storage (the database) is down: the recurring reconcile heals it later; the watch must not stop the app.
                    logger.LogError("Could not queue a reconcile for the stopped export: {Reason}", unreachable.Message);
                }
            }
        }
    }
}
