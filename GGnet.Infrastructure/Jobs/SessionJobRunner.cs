using GGnet.Core.Sessions;
using Hangfire;

namespace GGnet.Infrastructure.Jobs;

/// <summary>What Hangfire runs: small, re-entrant, only a session id as argument.</summary>
public sealed class SessionJobRunner(ProvisionSession provision, TeardownSession teardown, ReconcileSessions reconcile)
{
    public const string Queue = "sessions";
    public const string ReconcileQueue = "reconcile";

    // Provisioning undoes itself and records why it failed; running it again would not help.
    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    public Task ProvisionAsync(int sessionId, CancellationToken cancellationToken) => provision.ExecuteAsync(sessionId, cancellationToken);

    // Teardown only removes things: retrying is safe and usually succeeds once tgt lets go of the LUN.
    [Queue(Queue)]
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [2, 5, 10, 30, 60])]
    public Task TeardownAsync(int sessionId, CancellationToken cancellationToken) => teardown.ExecuteAsync(sessionId, cancellationToken);

    // One pass at a time: a pass that overlaps another could heal what the other is removing.
    [Queue(ReconcileQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task ReconcileAsync(CancellationToken cancellationToken) => reconcile.ExecuteAsync(cancellationToken);
}
