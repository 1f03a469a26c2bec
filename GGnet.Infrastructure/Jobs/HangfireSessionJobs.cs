using GGnet.Core.Ports;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

public sealed class HangfireSessionJobs(IBackgroundJobClient jobs) : ISessionJobs
{
    public void EnqueueProvision(int sessionId, string node) =>
        jobs.Enqueue<SessionJobRunner>(NodeQueues.Work(node), runner => runner.ProvisionAsync(sessionId, CancellationToken.None));

    public void EnqueueProvision(IReadOnlyList<int> sessionIds, string node)
    {
        if (sessionIds.Count <= 1)
        {
            foreach (var sessionId in sessionIds)
            {
                EnqueueProvision(sessionId, node);
            }
            return;
        }
        var ids = sessionIds.ToArray();
        jobs.Enqueue<SessionBatchRunner>(NodeQueues.Work(node), runner => runner.ProvisionAllAsync(ids, CancellationToken.None));
    }

    public void EnqueueTeardown(int sessionId, string node) =>
        jobs.Enqueue<SessionJobRunner>(NodeQueues.Work(node), runner => runner.TeardownAsync(sessionId, CancellationToken.None));

    public void EnqueueTeardown(IReadOnlyList<int> sessionIds, string node)
    {
        if (sessionIds.Count <= 1)
        {
            foreach (var sessionId in sessionIds)
            {
                EnqueueTeardown(sessionId, node);
            }
            return;
        }
        var ids = sessionIds.ToArray();
        jobs.Enqueue<SessionBatchRunner>(NodeQueues.Work(node), runner => runner.TeardownAllAsync(ids, node, CancellationToken.None));
    }

    public void EnqueueReconcile(string node) =>
        jobs.Enqueue<SessionJobRunner>(NodeQueues.Reconcile(node), runner => runner.ReconcileAsync(CancellationToken.None));
}
