using GGnet.Core.Ports;
using GGnet.Core.Sessions;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// A bulk start's or stop's sessions as one job: one enqueue (a job-store commit) instead of one per session, and the
/// sessions worked together (<see cref="ProvisionSession.ExecuteManyAsync"/>, <see cref="TeardownSession.ExecuteManyAsync"/>):
/// several at a time, each under its machine's lock, their saves gathered into few commits.
/// </summary>
public sealed class SessionBatchRunner(ProvisionSession provision, TeardownSession teardown, ISessionJobs jobs, ILogger<SessionBatchRunner> logger)
{
    // Like a single provisioning: what failed undid itself and says why; a session a crash left half-done is the reconcile's.
    [AutomaticRetry(Attempts = 0)]
    public Task ProvisionAllAsync(int[] sessionIds, CancellationToken cancellationToken) => provision.ExecuteManyAsync(sessionIds, cancellationToken);

    // A teardown that fails (tgt holding a LUN under I/O) becomes a job of its own, with that job's retries.
    [AutomaticRetry(Attempts = 0)]
    public Task TeardownAllAsync(int[] sessionIds, string node, CancellationToken cancellationToken) =>
        teardown.ExecuteManyAsync(sessionIds, (sessionId, problem) =>
        {
            logger.LogWarning(problem, "Tearing down session {SessionId} of a bulk stop failed ({Reason}); it is retried on its own", sessionId, problem.Message);
            jobs.EnqueueTeardown(sessionId, node);
        }, cancellationToken);
}
