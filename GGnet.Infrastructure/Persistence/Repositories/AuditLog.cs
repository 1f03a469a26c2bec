using GGnet.Core.Audit;
using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Persistence.Repositories;

internal sealed class AuditLog(IDbContextFactory<GGnetDbContext> contexts) : IAuditLog
{
    public async Task WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AuditEvents.Add(auditEvent);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<Page<AuditEvent>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        IQueryable<AuditEvent> events = db.AuditEvents;
        if (!string.IsNullOrWhiteSpace(query.Actor))
        {
            events = events.Where(e => e.Actor == query.Actor);
        }
        if (!string.IsNullOrWhiteSpace(query.EntityType))
        {
            events = events.Where(e => e.EntityType == query.EntityType);
        }
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim();
            events = action.EndsWith('.') ? events.Where(e => e.Action.StartsWith(action)) : events.Where(e => e.Action == action);
        }
        if (query.From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }
        if (query.To is { } to)
        {
            events = events.Where(e => e.At < to);
        }
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = "%" + query.Search.Trim().ToLowerInvariant() + "%";
            events = events.Where(e => EF.Functions.Like(e.Action, pattern)
                || (e.Before != null && EF.Functions.Like(e.Before.ToLower(), pattern))
                || (e.After != null && EF.Functions.Like(e.After.ToLower(), pattern)));
        }
        var total = await events.CountAsync(cancellationToken);
        var items = await events.OrderByDescending(e => e.Id)
            .Skip(query.Page.Skip).Take(query.Page.SafePageSize)
            .AsNoTracking().ToListAsync(cancellationToken);
        return new Page<AuditEvent>(items, total, query.Page.SafePageNumber, query.Page.SafePageSize);
    }

    public async Task<int> DeleteOlderThanAsync(DateTime before, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditEvents.Where(e => e.At < before).ExecuteDeleteAsync(cancellationToken);
    }
}
