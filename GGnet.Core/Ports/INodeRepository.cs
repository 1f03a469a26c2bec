using GGnet.Core.Domain.Nodes;

namespace GGnet.Core.Ports;

/// <summary>The nodes of the cluster, one row each; a single GGnet process is a cluster of one.</summary>
public interface INodeRepository
{
    /// <summary>Writes this node's row at start-up (name, portal, pools), keeping the row if it exists.</summary>
    Task RegisterAsync(Node node, CancellationToken cancellationToken);

    /// <summary>This node is alive: one small write.</summary>
    Task HeartbeatAsync(string name, DateTime at, long freeBytes, long capacityBytes, CancellationToken cancellationToken);

    Task<IReadOnlyList<Node>> ListAsync(CancellationToken cancellationToken);

    /// <summary>How many images each node stores.</summary>
    Task<IReadOnlyDictionary<string, int>> CountImagesAsync(CancellationToken cancellationToken);

    /// <summary>Gives rows from before nodes existed (images and sessions without a node) to this node.</summary>
    Task AdoptUnownedAsync(string name, CancellationToken cancellationToken);
}
