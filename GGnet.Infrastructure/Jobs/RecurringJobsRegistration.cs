using GGnet.Core.Ports;
using Hangfire;
using Microsoft.Extensions.Hosting;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// Reconcile every minute, and once right at start-up (after a crash or a reboot is when it matters most); the
/// schedules' recurring jobs made to match the schedules in the database.
/// </summary>
public sealed class RecurringJobsRegistration(IRecurringJobManager recurring, ISessionJobs jobs, IScheduleRepository schedules, IScheduler scheduler) : IHostedService
{
    public const string ReconcileJobId = "reconcile";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SessionJobRunner>(ReconcileJobId, SessionJobRunner.Queue, runner => runner.ReconcileAsync(CancellationToken.None), Cron.Minutely());
        jobs.EnqueueReconcile();
        scheduler.Sync(await schedules.ListAsync(cancellationToken));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
