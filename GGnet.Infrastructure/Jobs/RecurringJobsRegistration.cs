using GGnet.Core.Ports;
using Hangfire;
using Microsoft.Extensions.Hosting;

namespace GGnet.Infrastructure.Jobs;

/// <summary>Reconcile every minute, and once right at start-up (after a crash or a reboot is when it matters most).</summary>
public sealed class RecurringJobsRegistration(IRecurringJobManager recurring, ISessionJobs jobs) : IHostedService
{
    public const string ReconcileJobId = "reconcile";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        recurring.AddOrUpdate<SessionJobRunner>(ReconcileJobId, SessionJobRunner.Queue, runner => runner.ReconcileAsync(CancellationToken.None), Cron.Minutely());
        jobs.EnqueueReconcile();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
