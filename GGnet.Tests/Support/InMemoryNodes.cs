using GGnet.Core.Domain;
using GGnet.Core.Domain.Nodes;
using GGnet.Core.Nodes;
using GGnet.Core.Ports;

namespace GGnet.Tests.Support;

/// <summary>The cluster's node rows in memory, for component tests; this node is "ggnet-1".</summary>
public sealed class InMemoryNodes : INodeRepository
{
    public static readonly LocalNode Local = new(Hostname.Parse("ggnet-1"), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));

    private readonly List<Node> _nodes = [];

    public Dictionary<string, int> Images { get; } = [];

    public void Add(Node node) => _nodes.Add(node);

    public Task RegisterAsync(Node node, CancellationToken cancellationToken)
    {
        _nodes.RemoveAll(n => n.Name == node.Name);
        _nodes.Add(node);
        return Task.CompletedTask;
    }

    public Task HeartbeatAsync(string name, DateTime at, long freeBytes, long capacityBytes, CancellationToken cancellationToken)
    {
        _nodes.Single(n => n.Name == name).Seen(at, freeBytes, capacityBytes);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Node>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Node>>(_nodes.ToList());

    public Task<IReadOnlyDictionary<string, int>> CountImagesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyDictionary<string, int>>(Images);

    public Task AdoptUnownedAsync(string name, CancellationToken cancellationToken) => Task.CompletedTask;
}
