using GGnet.Core.Ports;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// A bulk start's or stop's sessions as one job: one enqueue (a job-store commit) instead of one per session. Each
/// session runs exactly as its own job would (its own scope, its machine's lock, <see cref="SessionJobRunner"/>), as
/// many at a time as the job server has workers; one that throws leaves the others going.
/// </summary>
public sealed class SessionBatchRunner(IServiceScopeFactory scopes, ISessionJobs jobs, ILogger<SessionBatchRunner> logger)
{
    /// <summary>The job server's workers: a batch works as fast as as many single jobs would.</summary>
    public const int AtOnce = 4;

    // Like a single provisioning: what failed undid itself and says why; a session a crash left half-done is the reconcile's.
    [AutomaticRetry(Attempts = 0)]
    public Task ProvisionAllAsync(int[] sessionIds, CancellationToken cancellationToken) =>
        EachAsync(sessionIds, (runner, sessionId, token) => runner.ProvisionAsync(sessionId, token), sessionId =>
            logger.LogError("Provisioning session {SessionId} of a bulk start failed", sessionId), cancellationToken);

    // A teardown that fails (tgt holding a LUN under I/O) becomes a job of its own, with that job's retries.
    [AutomaticRetry(Attempts = 0)]
    public Task TeardownAllAsync(int[] sessionIds, string node, CancellationToken cancellationToken) =>
        EachAsync(sessionIds, (runner, sessionId, token) => runner.TeardownAsync(sessionId, token), sessionId =>
        {
            logger.LogWarning("Tearing down session {SessionId} of a bulk stop failed; it is retried on its own", sessionId);
            jobs.EnqueueTeardown(sessionId, node);
        }, cancellationToken);

    private Task EachAsync(int[] sessionIds, Func<SessionJobRunner, int, CancellationToken, Task> work, Action<int> failed, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(sessionIds, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = cancellationToken }, async (sessionId, token) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await work(scope.ServiceProvider.GetRequiredService<SessionJobRunner>(), sessionId, token);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogError(exception, "Session {SessionId}: {Reason}", sessionId, exception.Message);
                failed(sessionId);
            }
        });
}
