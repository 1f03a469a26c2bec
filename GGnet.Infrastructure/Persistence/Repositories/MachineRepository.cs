using GGnet.Core.Common;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Machines;
using GGnet.Core.Ports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Persistence.Repositories;

internal sealed class MachineRepository(IDbContextFactory<GGnetDbContext> contexts, AfterMachineCommit afterCommit, ILogger<MachineRepository> logger)
    : IMachineRepository
{
    public async Task<Page<Machine>> ListAsync(MachineQuery query, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var machines = Filter(db, query);
        var total = await machines.CountAsync(cancellationToken);
        var items = await Sort(db, machines, query)
            .Skip(query.Page.Skip)
            .Take(query.Page.SafePageSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return new Page<Machine>(items, total, query.Page.SafePageNumber, query.Page.SafePageSize);
    }

    public async Task<MachineCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var byStage = await db.Machines.GroupBy(m => m.BootStage)
            .Select(g => new { Stage = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Stage, g => g.Count, cancellationToken);
        var enabled = await db.Machines.CountAsync(m => m.Enabled, cancellationToken);
        return new MachineCounts(byStage.Values.Sum(), enabled, byStage);
    }

    public async Task<Machine?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Machines.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, cancellationToken);
    }

    public async Task<IReadOnlyList<Machine>> FindManyAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Machines.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> NamesWithDataImageAsync(int imageId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var names = await db.Machines.Where(m => m.DataImageIds.Contains(imageId)).Select(m => m.Name).ToListAsync(cancellationToken);
        return names.Select(n => n.Value).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<Machine>> ListVirtualAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Machines.AsNoTracking().Where(m => m.IsVirtual).OrderBy(m => m.Id).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Machine>> FindClashesAsync(MachineDetails details, int? exceptId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Machines.AsNoTracking()
            .Where(m => m.Id != exceptId)
            .Where(m => m.MacAddress == details.MacAddress || m.Name == details.Name || (details.IpAddress != null && m.IpAddress == details.IpAddress))
            .ToListAsync(cancellationToken);
    }

    public Task AddAsync(Machine machine, CancellationToken cancellationToken) => AddManyAsync([machine], cancellationToken);

    // The machines first (their ids are the audit entries' subjects), then the entries, in one transaction.
    public async Task AddManyAsync(IReadOnlyList<Machine> machines, CancellationToken cancellationToken)
    {
        var happened = machines.SelectMany(m => m.TakeHappened()).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Machines.AddRange(machines);
        await SaveAsync(db, cancellationToken);
        db.AuditEvents.AddRange(happened.Select(e => e.Audit));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await AfterCommitAsync(happened);
    }

    public async Task UpdateAsync(Machine machine, CancellationToken cancellationToken)
    {
        var happened = machine.TakeHappened();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Machines.Update(machine);
        db.AuditEvents.AddRange(happened.Select(e => e.Audit));
        await SaveAsync(db, cancellationToken);
        await AfterCommitAsync(happened);
    }

    public async Task SaveChapSecretsAsync(IReadOnlyList<Machine> machines, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // In the order of their ids, as the script fetches' batch writes its machines: PostgreSQL never finds two such writers
        // each waiting for the other's row (a deadlock, which fails one of them).
        foreach (var machine in machines.OrderBy(m => m.Id))
        {
            var (secret, mutual) = (machine.ProtectedChapSecret, machine.ProtectedMutualChapSecret);
            await db.Machines.Where(m => m.Id == machine.Id)
                .ExecuteUpdateAsync(set => set.SetProperty(m => m.ProtectedChapSecret, secret).SetProperty(m => m.ProtectedMutualChapSecret, mutual), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteAsync(Machine machine, CancellationToken cancellationToken)
    {
        var happened = machine.TakeHappened();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Session history points at the machine; its targets go with it (cascade).
        await db.Sessions.Where(s => s.MachineId == machine.Id).ExecuteDeleteAsync(cancellationToken);
        db.Machines.Remove(machine);
        db.AuditEvents.AddRange(happened.Select(e => e.Audit));
        await SaveAsync(db, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await AfterCommitAsync(happened);
    }

    // The change is saved: a sync, screens and webhooks hearing of it late or not at all must never undo it.
    private async Task AfterCommitAsync(IReadOnlyList<MachineEvent> happened)
    {
        if (happened.Count == 0)
        {
            return;
        }
        try
        {
            await afterCommit.HandleAsync(happened, CancellationToken.None);
        }
        catch (Exception problem)
        {
            logger.LogError(problem, "Machine {MachineId} was saved, but telling screens and webhooks about it failed", happened[0].Machine.Id);
        }
    }

    private static IQueryable<Machine> Filter(GGnetDbContext db, MachineQuery query)
    {
        IQueryable<Machine> machines = db.Machines;
        if (query.GroupId is { } groupId)
        {
            machines = machines.Where(m => m.GroupId == groupId);
        }
        if (query.Enabled is { } enabled)
        {
            machines = machines.Where(m => m.Enabled == enabled);
        }
        if (query.Stages is { Count: > 0 } stages)
        {
            machines = machines.Where(m => stages.Contains(m.BootStage));
        }
        if (!string.IsNullOrEmpty(query.Search))
        {
            machines = Search(machines, query.Search);
        }
        return machines;
    }

    // Names and MACs are stored in canonical lowercase, so a lowercase pattern finds them on both providers.
    private static IQueryable<Machine> Search(IQueryable<Machine> machines, string search)
    {
        if (Ipv4Address.TryParse(search, out var ip, out _))
        {
            return machines.Where(m => m.IpAddress == ip);
        }
        if (MacAddress.TryParse(search, out var mac, out _))
        {
            return machines.Where(m => m.MacAddress == mac);
        }
        var pattern = "%" + EscapeLike(search.ToLowerInvariant()) + "%";
        return machines.Where(m =>
            EF.Functions.Like((string)(object)m.Name, pattern, "\\")
            || EF.Functions.Like((string)(object)m.MacAddress, pattern, "\\")
            || (m.Description != null && EF.Functions.Like(m.Description.ToLower(), pattern, "\\")));
    }

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static IQueryable<Machine> Sort(GGnetDbContext db, IQueryable<Machine> machines, MachineQuery query)
    {
        var sorted = query.SortBy switch
        {
            MachineSortField.MacAddress => Order(machines, m => (string)(object)m.MacAddress, query.Descending),
            MachineSortField.IpAddress => Order(machines, m => (long?)(object?)m.IpAddress, query.Descending),
            MachineSortField.Group => Order(machines, m => db.MachineGroups.Where(g => g.Id == m.GroupId).Select(g => g.Name).FirstOrDefault(), query.Descending),
            MachineSortField.Firmware => Order(machines, m => m.Firmware, query.Descending),
            MachineSortField.Enabled => Order(machines, m => m.Enabled, query.Descending),
            MachineSortField.BootStage => Order(machines, m => m.BootStage, query.Descending),
            MachineSortField.LastSeen => Order(machines, m => m.LastSeen, query.Descending),
            _ => Order(machines, m => (string)(object)m.Name, query.Descending),
        };
        return sorted.ThenBy(m => m.Id);
    }

    private static IOrderedQueryable<Machine> Order<TKey>(IQueryable<Machine> machines, System.Linq.Expressions.Expression<Func<Machine, TKey>> key, bool descending) =>
        descending ? machines.OrderByDescending(key) : machines.OrderBy(key);

    private static async Task SaveAsync(GGnetDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Matches(exception))
        {
            // Lost a race with another request that saved the same MAC, name or address a moment earlier.
            throw new Core.Errors.ConflictException("Another machine with the same MAC address, name or fixed address was saved at the same moment. Reload and try again.");
        }
    }
}
