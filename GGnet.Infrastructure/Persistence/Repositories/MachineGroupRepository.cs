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
}
