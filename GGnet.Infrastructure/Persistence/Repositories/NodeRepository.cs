using GGnet.Core.Domain.Nodes;
using GGnet.Core.Ports;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Persistence.Repositories;

internal sealed class NodeRepository(IDbContextFactory<GGnetDbContext> contexts) : INodeRepository
{
    public async Task RegisterAsync(Node node, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Nodes.FirstOrDefaultAsync(n => n.Name == node.Name, cancellationToken) is { } known)
        {
            known.Registered(node.PortalAddress, node.Pools, node.Version, node.StartedAt);
        }
        else
        {
            db.Nodes.Add(node);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException clash) when (UniqueViolation.Matches(clash))
        {
            // Started twice at once under the same name: the other process wrote the row first; the heartbeat keeps it fresh.
        }
    }

    public async Task HeartbeatAsync(string name, DateTime at, long freeBytes, long capacityBytes, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Nodes.Where(n => n.Name == name).ExecuteUpdateAsync(
            set => set.SetProperty(n => n.LastSeenAt, at).SetProperty(n => n.FreeBytes, freeBytes).SetProperty(n => n.CapacityBytes, capacityBytes),
            cancellationToken);
    }

    public async Task<IReadOnlyList<Node>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Nodes.AsNoTracking().OrderBy(n => n.Name).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountImagesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Images.GroupBy(i => i.NodeName).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);
    }

    public async Task AdoptUnownedAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Images.Where(i => i.NodeName == "").ExecuteUpdateAsync(set => set.SetProperty(i => i.NodeName, name), cancellationToken);
        await db.Sessions.Where(s => s.NodeName == "").ExecuteUpdateAsync(set => set.SetProperty(s => s.NodeName, name), cancellationToken);
    }
}
