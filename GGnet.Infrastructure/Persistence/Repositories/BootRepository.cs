using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Persistence.Repositories;

internal sealed class BootRepository(IDbContextFactory<GGnetDbContext> contexts) : IBootRepository
{
    public async Task<Machine?> FindMachineAsync(MacAddress macAddress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Machines.AsNoTracking().FirstOrDefaultAsync(m => m.MacAddress == macAddress, cancellationToken);
    }

    public async Task<ActiveTarget?> FindActiveTargetAsync(int machineId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await ActiveTargets(db).Where(t => t.MachineId == machineId).ToListAsync(cancellationToken)).Select(t => t.Target).FirstOrDefault();
    }

    public async Task<IReadOnlyList<(Machine Machine, ActiveTarget? Target)>> ListMachinesWithTargetsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var machines = await db.Machines.AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var targets = (await ActiveTargets(db).ToListAsync(cancellationToken)).ToDictionary(t => t.MachineId, t => t.Target);
        return machines.Select(m => (m, targets.GetValueOrDefault(m.Id))).ToList();
    }

    public async Task RecordScriptFetchedAsync(Machine machine, BootEvent bootEvent, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tracked = await db.Machines.FirstAsync(m => m.Id == machine.Id, cancellationToken);
        tracked.ObserveBootStage(BootStage.ScriptFetched, bootEvent.At);
        machine.ObserveBootStage(BootStage.ScriptFetched, bootEvent.At);
        db.BootEvents.Add(bootEvent);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RecordDiscoveredAsync(MacAddress macAddress, DateTime at, Ipv4Address? ipAddress, Firmware? firmware, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pc = await db.DiscoveredPcs.FirstOrDefaultAsync(d => d.MacAddress == macAddress, cancellationToken);
        if (pc is null)
        {
            pc = new DiscoveredPc(macAddress, at);
            db.DiscoveredPcs.Add(pc);
        }
        pc.Seen(at, ipAddress, firmware);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Matches(exception))
        {
            // Two requests of the same new PC at once: the other one recorded it.
        }
    }

    public async Task<IReadOnlyList<DiscoveredPc>> ListDiscoveredAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DiscoveredPcs.AsNoTracking().OrderByDescending(d => d.LastSeen).ToListAsync(cancellationToken);
    }

    public async Task<DiscoveredPc?> FindDiscoveredAsync(MacAddress macAddress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.DiscoveredPcs.AsNoTracking().FirstOrDefaultAsync(d => d.MacAddress == macAddress, cancellationToken);
    }

    public async Task RemoveDiscoveredAsync(MacAddress macAddress, AuditEvent? audit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.DiscoveredPcs.RemoveRange(db.DiscoveredPcs.Where(d => d.MacAddress == macAddress));
        if (audit is not null)
        {
            db.AuditEvents.Add(audit);
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DhcpHost>> ListDhcpHostsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await db.Machines.AsNoTracking().Where(m => m.Enabled).OrderBy(m => m.Id).ToListAsync(cancellationToken))
            .Select(m => new DhcpHost(m.Id, m.Name, m.MacAddress, m.IpAddress))
            .ToList();
    }

    public async Task<IReadOnlyList<BootEvent>> ListBootEventsAsync(int machineId, int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.BootEvents.AsNoTracking().Where(e => e.MachineId == machineId).OrderByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken);
    }

    private static IQueryable<ActiveTargetRow> ActiveTargets(GGnetDbContext db)
    {
        var active = Session.ActiveStates.ToList();
        return from session in db.Sessions
               where active.Contains(session.State) && session.Target != null
               join version in db.ImageVersions on session.ImageVersionId equals version.Id
               join image in db.Images on version.ImageId equals image.Id
               select new ActiveTargetRow(session.MachineId, new ActiveTarget(session.Id, image.Name + " v" + version.Number, session.Target!.Iqn, session.Target.ChapUser, null));
    }

    private sealed record ActiveTargetRow(int MachineId, ActiveTarget Target);
}
