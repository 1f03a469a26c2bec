using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Ports;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Persistence.Repositories;

internal sealed class MachineGroupRepository(IDbContextFactory<GGnetDbContext> contexts) : IMachineGroupRepository
{
    public async Task<IReadOnlyList<MachineGroup>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.MachineGroups.AsNoTracking().OrderBy(g => g.Name).ToListAsync(cancellationToken);
    }

    public async Task<MachineGroup?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.MachineGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Id == id, cancellationToken);
    }

    public async Task<MachineGroup?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.MachineGroups.AsNoTracking().FirstOrDefaultAsync(g => g.Name == name, cancellationToken);
    }

    public async Task AddAsync(MachineGroup group, Func<MachineGroup, AuditEvent> audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.MachineGroups.Add(group);
        await db.SaveChangesAsync(cancellationToken);
        db.AuditEvents.Add(audit(group));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task SaveAsync(MachineGroup group, AuditEvent audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.MachineGroups.Update(group);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task DeleteAsync(MachineGroup group, AuditEvent audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The database would set these to null too; done here so it does not depend on the provider's cascade.
        await db.Machines.Where(m => m.GroupId == group.Id).ExecuteUpdateAsync(m => m.SetProperty(x => x.GroupId, (int?)null), cancellationToken);
        await db.MachineGroups.Where(g => g.Id == group.Id).ExecuteDeleteAsync(cancellationToken);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<int, int>> CountMachinesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Machines.Where(m => m.GroupId != null).GroupBy(m => m.GroupId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }
}
