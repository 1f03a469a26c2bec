using GGnet.Core.Ports;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

public sealed class HangfireSessionJobs(IBackgroundJobClient jobs) : ISessionJobs
{
    public void EnqueueProvision(int sessionId) => jobs.Enqueue<SessionJobRunner>(SessionJobRunner.Queue, runner => runner.ProvisionAsync(sessionId, CancellationToken.None));

    public void EnqueueTeardown(int sessionId) => jobs.Enqueue<SessionJobRunner>(SessionJobRunner.Queue, runner => runner.TeardownAsync(sessionId, CancellationToken.None));

    public void EnqueueReconcile() => jobs.Enqueue<SessionJobRunner>(SessionJobRunner.ReconcileQueue, runner => runner.ReconcileAsync(CancellationToken.None));
}
