using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Schedules;
using GGnet.Core.Ports;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Persistence.Repositories;

internal sealed class ScheduleRepository(IDbContextFactory<GGnetDbContext> contexts) : IScheduleRepository
{
    public async Task<IReadOnlyList<Schedule>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Schedules.AsNoTracking().OrderBy(s => s.At).ThenBy(s => s.Id).ToListAsync(cancellationToken);
    }

    public async Task<Schedule?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Schedules.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
    }

    public async Task AddAsync(Schedule schedule, Func<Schedule, AuditEvent> audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Schedules.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        db.AuditEvents.Add(audit(schedule));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteAsync(Schedule schedule, AuditEvent audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Schedules.Remove(schedule);
        db.AuditEvents.Add(audit);
        await db.SaveChangesAsync(cancellationToken);
    }
}
