using GGnet.Core.Ports;
using GGnet.Infrastructure.Backups;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// Reconcile every minute on every live node, and once right at start-up on this one (after a crash or a reboot is when it matters most); the
/// schedules' recurring jobs made to match the schedules in the database; the nightly backup, audit clean-up and webhook delivery log clean-up.
/// A node killed while it held a job-store lock leaves that lock until it times out: the node then starts anyway and registers again in the
/// background until it gets through, rather than failing to start.
/// </summary>
public sealed class RecurringJobsRegistration(IRecurringJobManager recurring, ISessionJobs jobs, IScheduleRepository schedules, IScheduler scheduler,
    IOptions<BackupOptions> backup, GGnet.Core.Nodes.LocalNode node, TimeProvider clock, ILogger<RecurringJobsRegistration> logger) : IHostedService, IDisposable
{
    public const string ReconcileJobId = "reconcile";

    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private Task _retrying = Task.CompletedTask;
    private bool _disposed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.EnqueueReconcile(node.Key);
        try
        {
            await RegisterAsync(cancellationToken);
        }
        catch (Exception held) when (IsLockStillHeld(held))
        {
            logger.LogWarning("A job-store lock is still held (a node that stopped abruptly?): {Reason}. Recurring jobs are registered once it is free",
                held.Message);
            _retrying = RetryAsync(_stopping.Token);
        }
    }

    // A host may be stopped again after it was disposed (a test host disposed twice): nothing is left to stop then.
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return;
        }
        await _stopping.CancelAsync();
        await _retrying.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _disposed = true;
        _stopping.Dispose();
    }

    private async Task RegisterAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SessionJobRunner>(ReconcileJobId, NodeQueues.Shared, runner => runner.ReconcileEveryNodeAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<BackupRunner>(BackupRunner.JobId, NodeQueues.Shared, runner => runner.RunAsync(CancellationToken.None), backup.Value.Cron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        recurring.AddOrUpdate<AuditRetentionRunner>(AuditRetentionRunner.JobId, NodeQueues.Shared, runner => runner.RunAsync(CancellationToken.None), "30 3 * * *",
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        recurring.AddOrUpdate<BootRetentionRunner>(BootRetentionRunner.JobId, NodeQueues.Shared, runner => runner.RunAsync(CancellationToken.None), "50 3 * * *",
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        recurring.AddOrUpdate<WebhookJobRunner>(WebhookJobRunner.RetentionJobId, NodeQueues.Shared, runner => runner.PruneAsync(CancellationToken.None), "40 3 * * *",
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Local });
        scheduler.Sync(await schedules.ListAsync(cancellationToken));
    }

    // SQLite's job store and PostgreSQL's say it with their own exception.
    private static bool IsLockStillHeld(Exception failed) =>
        failed is DistributedLockTimeoutException or Hangfire.PostgreSql.PostgreSqlDistributedLockException;

    private async Task RetryAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(RetryEvery, clock, stopping);
                // Off the start-up path: the lock wait must not hold the thread that runs the host's start.
                await Task.Run(() => RegisterAsync(stopping), stopping);
                logger.LogInformation("Recurring jobs registered");
                return;
            }
            catch (Exception held) when (IsLockStillHeld(held))
            {
                // Still held: try again.
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
