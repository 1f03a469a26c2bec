using GGnet.Core.Ports;
using GGnet.Infrastructure.Backups;
using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// Reconcile every minute on every live node, and once right at start-up on this one (after a crash or a reboot is when it matters most); the
/// schedules' recurring jobs made to match the schedules in the database; the nightly backup, audit clean-up and webhook delivery log clean-up.
/// </summary>
public sealed class RecurringJobsRegistration(IRecurringJobManager recurring, ISessionJobs jobs, IScheduleRepository schedules, IScheduler scheduler,
    IOptions<BackupOptions> backup, GGnet.Core.Nodes.LocalNode node) : IHostedService
{
    public const string ReconcileJobId = "reconcile";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SessionJobRunner>(ReconcileJobId, NodeQueues.Shared, runner => runner.ReconcileEveryNodeAsync(CancellationToken.None), Cron.Minutely());
        jobs.EnqueueReconcile(node.Key);
        recurring.AddOrUpdate<BackupRunner>(BackupRunner.JobId, "default", runner => runner.RunAsync(CancellationToken.None), backup.Value.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        recurring.AddOrUpdate<AuditRetentionRunner>(AuditRetentionRunner.JobId, "default", runner => runner.RunAsync(CancellationToken.None), "30 3 * * *",
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        recurring.AddOrUpdate<BootRetentionRunner>(BootRetentionRunner.JobId, "default", runner => runner.RunAsync(CancellationToken.None), "50 3 * * *",
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        recurring.AddOrUpdate<WebhookJobRunner>(WebhookJobRunner.RetentionJobId, "default", runner => runner.PruneAsync(CancellationToken.None), "40 3 * * *",
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        scheduler.Sync(await schedules.ListAsync(cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
