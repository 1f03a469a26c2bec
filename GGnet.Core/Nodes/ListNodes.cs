using GGnet.Core.Ports;

namespace GGnet.Core.Nodes;

/// <summary>Every node of the cluster, up or down, with its active sessions and images; this node first.</summary>
public sealed class ListNodes(INodeRepository nodes, ISessionRepository sessions, LocalNode local, TimeProvider clock)
{
    public async Task<IReadOnlyList<NodeStatus>> ExecuteAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var active = (await sessions.ListActiveAsync(cancellationToken)).GroupBy(s => s.NodeName).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var stored = await nodes.CountImagesAsync(cancellationToken);
        return (await nodes.ListAsync(cancellationToken))
            .Select(n => new NodeStatus(n, local.Owns(n.Name) || n.IsUp(now, local.DownAfter), local.Owns(n.Name),
                active.GetValueOrDefault(n.Name), stored.GetValueOrDefault(n.Name)))
            .OrderByDescending(n => n.IsThisNode).ThenBy(n => n.Node.Name, StringComparer.Ordinal)
            .ToList();
    }
}
