using GGnet.Core.Sessions;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Jobs;

/// <summary>What Hangfire runs: small, re-entrant, only a session id as argument.</summary>
public sealed class SessionJobRunner(ProvisionSession provision, TeardownSession teardown, ReconcileSessions reconcile, ILogger<SessionJobRunner> logger)
{
    public const string Queue = "sessions";
    public const string ReconcileQueue = "reconcile";

    // Provisioning undoes itself and records why it failed; running it again would not help.
    [Queue(Queue)]
    [AutomaticRetry(Attempts = 0)]
    public async Task ProvisionAsync(int sessionId, CancellationToken cancellationToken)
    {
        using var scope = ForSession(sessionId);
        await provision.ExecuteAsync(sessionId, cancellationToken);
    }

    // Teardown only removes things: retrying is safe and usually succeeds once tgt lets go of the LUN.
    [Queue(Queue)]
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [2, 5, 10, 30, 60])]
    public async Task TeardownAsync(int sessionId, CancellationToken cancellationToken)
    {
        using var scope = ForSession(sessionId);
        await teardown.ExecuteAsync(sessionId, cancellationToken);
    }

    // One pass at a time: a pass that overlaps another could heal what the other is removing.
    [Queue(ReconcileQueue)]
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task ReconcileAsync(CancellationToken cancellationToken) => reconcile.ExecuteAsync(cancellationToken);

    // Every line logged while GGnet works on a session (the commands it runs, what failed) carries its id.
    private IDisposable? ForSession(int sessionId) => logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = sessionId });
}
