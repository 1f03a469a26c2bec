using GGnet.Core.Nodes;

namespace GGnet.Web.Api;

public static class NodeEndpoints
{
    public sealed record NodeDto(
        string Name, bool Up, bool IsThisNode, string? PortalAddress, IReadOnlyList<string> Pools, string Version, DateTime StartedAt, DateTime LastSeenAt,
        long FreeBytes, long CapacityBytes, int ActiveSessions, int Images, string Sentence)
    {
        public static NodeDto From(NodeStatus status, DateTime now) => new(
            status.Node.Name, status.Up, status.IsThisNode, status.Node.PortalAddress, status.Node.Pools.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            status.Node.Version, status.Node.StartedAt, status.Node.LastSeenAt, status.Node.FreeBytes, status.Node.CapacityBytes, status.ActiveSessions,
            status.Images, status.Sentence(now));
    }

    public static void MapNodeEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/nodes", async (ListNodes list, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            return (await list.ExecuteAsync(cancellationToken)).Select(n => NodeDto.From(n, now)).ToList();
        }).WithTags("Nodes").WithSummary("The GGnet nodes sharing this database: up or down, their portal, storage and sessions (this node first).");
    }
}
