using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// A bulk start's sessions, provisioned as one job: one enqueue (a job-store commit) instead of one per session. Each
/// session runs exactly as its own job would (its own scope, its machine's lock, <see cref="SessionJobRunner.ProvisionAsync"/>),
/// as many at a time as the job server has workers; one that throws is logged and leaves the others going.
/// </summary>
public sealed class SessionBatchRunner(IServiceScopeFactory scopes, ILogger<SessionBatchRunner> logger)
{
    /// <summary>The job server's workers: a batch works as fast as as many single jobs would.</summary>
    public const int AtOnce = 4;

    // Like a single provisioning: what failed undid itself and says why; a session a crash left half-done is the reconcile's.
    [AutomaticRetry(Attempts = 0)]
    public Task ProvisionAllAsync(int[] sessionIds, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(sessionIds, new ParallelOptions { MaxDegreeOfParallelism = AtOnce, CancellationToken = cancellationToken }, async (sessionId, token) =>
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<SessionJobRunner>().ProvisionAsync(sessionId, token);
            }
            catch (Exception failed) when (failed is not OperationCanceledException)
            {
                logger.LogError(failed, "Provisioning session {SessionId} of a bulk start failed", sessionId);
            }
        });
}
