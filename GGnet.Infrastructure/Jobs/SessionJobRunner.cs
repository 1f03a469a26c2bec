using GGnet.Core.Nodes;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;
using Hangfire;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Jobs;

/// <summary>
/// What Hangfire runs: small, re-entrant, only a session id as argument. Each job is enqueued on the queue of the node
/// that does the work (<see cref="NodeQueues"/>); work on one machine holds that machine's cluster-wide lock (taken by
/// the use case itself).
/// </summary>
public sealed class SessionJobRunner(ProvisionSession provision, TeardownSession teardown, ReconcileSessions reconcile, GGnet.Core.Iscsi.ListenOnBootNetwork portal,
    INodeRepository nodes, FailLostNodeSessions lostNodes, ISessionJobs jobs, IClusterLocks locks, LocalNode node, TimeProvider clock, ILogger<SessionJobRunner> logger)
{
    // Provisioning undoes itself and records why it failed; running it again would not help.
    [AutomaticRetry(Attempts = 0)]
    public async Task ProvisionAsync(int sessionId, CancellationToken cancellationToken)
    {
        using var scope = ForSession(sessionId);
        await provision.ExecuteAsync(sessionId, cancellationToken);
    }

    // Teardown only removes things: retrying is safe and usually succeeds once tgt lets go of the LUN.
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [2, 5, 10, 30, 60])]
    public async Task TeardownAsync(int sessionId, CancellationToken cancellationToken)
    {
        using var scope = ForSession(sessionId);
        await teardown.ExecuteAsync(sessionId, cancellationToken);
    }

    // One pass per node at a time: a pass that overlaps another could heal what the other is removing.
    [AutomaticRetry(Attempts = 0)]
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync($"reconcile:{node.Key}", TimeSpan.FromSeconds(60), cancellationToken);
        await reconcile.ExecuteAsync(cancellationToken);
        if (await portal.ExecuteAsync(cancellationToken) is { } problem)
        {
            logger.LogWarning("{Problem}", problem);
        }
    }

    /// <summary>
    /// The minutely pass: the sessions of nodes that stopped answering end (the heartbeats do this within seconds; this
    /// pass is the backstop), and every live node reconciles its own part, on its own queue.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task ReconcileEveryNodeAsync(CancellationToken cancellationToken)
    {
        await lostNodes.ExecuteAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var live in (await nodes.ListAsync(cancellationToken)).Where(n => n.IsUp(now, node.DownAfter)))
        {
            jobs.EnqueueReconcile(live.Name);
        }
    }

    // Every line logged while GGnet works on a session (the commands it runs, what failed) carries its id.
    private IDisposable? ForSession(int sessionId) => logger.BeginScope(new Dictionary<string, object> { ["SessionId"] = sessionId });
}
