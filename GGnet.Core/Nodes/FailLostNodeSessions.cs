using System.Globalization;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;

namespace GGnet.Core.Nodes;

/// <summary>
/// A node that stopped sending heartbeats holds its sessions' disks and targets: no other node can finish or serve
/// them. Its active sessions end here, each with a sentence naming the node (a stop that was under way simply ends
/// Stopped); the node cleans its leftovers by itself when it comes back (its start-up reconcile).
/// </summary>
public sealed class FailLostNodeSessions(INodeRepository nodes, ISessionRepository sessions, IClusterLocks locks, LocalNode local, TimeProvider clock)
{
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var down = (await nodes.ListAsync(cancellationToken)).Where(n => !local.Owns(n.Name) && !n.IsUp(now, local.DownAfter))
            .ToDictionary(n => n.Name, StringComparer.Ordinal);
        if (down.Count == 0)
        {
            return 0;
        }
        // Every live node looks; one at a time acts, so each session ends once.
        await using var held = await locks.AcquireAsync("nodes:lost-sessions", TimeSpan.FromSeconds(30), cancellationToken);
        var ended = 0;
        foreach (var session in await sessions.ListActiveAsync(cancellationToken))
        {
            if (!down.TryGetValue(session.NodeName, out var node))
            {
                continue;
            }
            var id = session.Id.ToString(CultureInfo.InvariantCulture);
            if (session.State == SessionState.Stopping)
            {
                session.MoveTo(SessionState.Stopped, now, $"state=Stopped node={node.Name} (down)");
            }
            else
            {
                var reason = $"GGnet stopped this session: its storage node {node.Name} stopped answering at {node.LastSeenAt:HH:mm:ss} UTC, so its disk and iSCSI target are out of reach. " +
                    $"Start GGnet on {node.Name} again, then start the session again.";
                session.Fail(reason, now);
            }
            await sessions.SaveAsync(session, null, cancellationToken);
            ended++;
        }
        return ended;
    }
}
