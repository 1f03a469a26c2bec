using GGnet.Core.Common;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Persistence.Repositories;

internal sealed class BootRepository(IDbContextFactory<GGnetDbContext> contexts, GGnet.Core.Telemetry.GGnetMetrics metrics, TimeProvider clock) : IBootRepository
{
    // What PCs that only keep asking for their scripts were last read as: their repeats need no read (only one writer saves fetches).
    private readonly RecentBootStates _recent = new(clock);

    public async Task<Machine?> FindMachineAsync(MacAddress macAddress, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Machines.AsNoTracking().FirstOrDefaultAsync(m => m.MacAddress == macAddress, cancellationToken);
    }

    public async Task<ActiveTarget?> FindActiveTargetAsync(int machineId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await ActiveTargetsAsync(db, machineId, cancellationToken)).Select(t => t.Target).FirstOrDefault();
    }

    public async Task<IReadOnlyList<(Machine Machine, ActiveTarget? Target)>> ListMachinesWithTargetsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var machines = await db.Machines.AsNoTracking().OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var targets = (await ActiveTargetsAsync(db, null, cancellationToken)).ToDictionary(t => t.MachineId, t => t.Target);
        return machines.Select(m => (m, targets.GetValueOrDefault(m.Id))).ToList();
    }

    public async Task<IReadOnlyCollection<int>> RecordScriptFetchesAsync(IReadOnlyList<BootEvent> fetches, CancellationToken cancellationToken)
    {
        var unchanging = _recent.Unchanging(fetches);
        var rest = unchanging.Count == 0 ? fetches : fetches.Where(f => !unchanging.Contains(f.MachineId!.Value)).ToList();
        if (rest.Count == 0)
        {
            return [];
        }
        var mark = _recent.Mark();
        var readAt = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = rest.Select(f => f.MachineId!.Value).Distinct().ToList();
        var before = await db.Machines.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.BootStage, m.BootStageChangedAt, m.LastSeen })
            .ToDictionaryAsync(m => m.Id, m => new PcBootState(m.BootStage, m.BootStageChangedAt, m.LastSeen), cancellationToken);
        var folded = ScriptFetchFolding.Fold(rest, before);
        foreach (var left in folded.StagesLeft)
        {
            metrics.BootStageLeft(left.Stage, left.Spent);
        }
        var seen = folded.Machines.Select(m => new ScriptFetchBatch.MachineSeen(m.Key, m.Value.Stage, m.Value.StageChangedAt, m.Value.LastSeen!.Value)).ToList();
        await new ScriptFetchBatch(db).SaveAsync(folded.Recorded, seen, cancellationToken);
        _recent.Remember(before, folded.Machines.Keys.ToHashSet(), mark, readAt);
        return folded.Changed;
    }

    public Task RecordObservationAsync(int machineId, BootStage stage, BootEvent? bootEvent, DateTime at, CancellationToken cancellationToken) =>
        RecordObservationsAsync([new BootObservation(machineId, stage, bootEvent, at)], cancellationToken);

    public async Task RecordObservationsAsync(IReadOnlyList<BootObservation> observations, CancellationToken cancellationToken)
    {
        if (observations.Count == 0)
        {
            return;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = observations.Select(o => o.MachineId).Distinct().ToList();
        var machines = await db.Machines.Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        foreach (var observation in observations)
        {
            if (machines.GetValueOrDefault(observation.MachineId) is not { } machine)
            {
                continue;
            }
            StageLeft(machine, observation.Stage, observation.At);
            machine.ObserveBootStage(observation.Stage, observation.At);
            if (observation.Event is not null)
            {
                db.BootEvents.Add(observation.Event);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        _recent.Forget(ids);
    }

    // The time a PC spent in the stage it is leaving (Idle and Offline are waiting, not booting).
    private void StageLeft(Machine machine, BootStage next, DateTime at)
    {
        if (next != machine.BootStage && machine.BootStage is not (BootStage.Idle or BootStage.Offline) && machine.BootStageChangedAt is { } since && at >= since)
        {
            metrics.BootStageLeft(machine.BootStage, at - since);
        }
    }

    public async Task RecordDiscoveredAsync(MacAddress macAddress, DateTime at, Ipv4Address? ipAddress, Firmware? firmware, int keepAtMost, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pc = await db.DiscoveredPcs.FirstOrDefaultAsync(d => d.MacAddress == macAddress, cancellationToken);
        var added = pc is null;
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
            return;
        }
        if (added)
        {
            // Anyone can make up MAC addresses: the list stays bounded, the PCs seen longest ago making room. Trimmed after
            // the insert, so that new PCs recorded at the same moment still leave no more than the limit.
            var beyond = await db.DiscoveredPcs.CountAsync(cancellationToken) - keepAtMost;
            if (beyond > 0)
            {
                var oldest = await db.DiscoveredPcs.OrderBy(d => d.LastSeen).Take(beyond).Select(d => d.MacAddress).ToListAsync(cancellationToken);
                await db.DiscoveredPcs.Where(d => oldest.Contains(d.MacAddress)).ExecuteDeleteAsync(cancellationToken);
            }
        }
    }

    public async Task<(int Events, int Discovered)> PruneAsync(DateTime eventsBefore, DateTime discoveredUnseenSince, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var events = await db.BootEvents.Where(e => e.At < eventsBefore).ExecuteDeleteAsync(cancellationToken);
        var discovered = await db.DiscoveredPcs.Where(d => d.LastSeen < discoveredUnseenSince).ExecuteDeleteAsync(cancellationToken);
        return (events, discovered);
    }

    public async Task<Page<DiscoveredPc>> ListDiscoveredAsync(PageRequest page, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var total = await db.DiscoveredPcs.CountAsync(cancellationToken);
        var items = await db.DiscoveredPcs.AsNoTracking().OrderByDescending(d => d.LastSeen).ThenBy(d => d.Id)
            .Skip((page.SafePageNumber - 1) * page.SafePageSize).Take(page.SafePageSize).ToListAsync(cancellationToken);
        return new Page<DiscoveredPc>(items, total, page.SafePageNumber, page.SafePageSize);
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
            .Select(m => new DhcpHost(m.Id, m.Name, m.MacAddress, m.IpAddress, m.ScriptTransport))
            .ToList();
    }

    public async Task<IReadOnlyList<BootEvent>> ListBootEventsAsync(int machineId, int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return InTimeOrder(await db.BootEvents.AsNoTracking().Where(e => e.MachineId == machineId).OrderByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken));
    }

    public async Task<IReadOnlyDictionary<int, Ipv4Address>> ListLeasedAddressesAsync(IReadOnlyCollection<int> machineIds, CancellationToken cancellationToken)
    {
        if (machineIds.Count == 0)
        {
            return new Dictionary<int, Ipv4Address>();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = machineIds.Select(id => (int?)id).ToList();
        var leases = db.BootEvents.Where(e => ids.Contains(e.MachineId) && e.Kind == BootEventKind.DhcpLease && e.ClientAddress != null);
        var latest = await leases.GroupBy(e => e.MachineId).Select(g => g.Max(e => e.Id)).ToListAsync(cancellationToken);
        return await db.BootEvents.AsNoTracking().Where(e => latest.Contains(e.Id))
            .ToDictionaryAsync(e => e.MachineId!.Value, e => e.ClientAddress!, cancellationToken);
    }

    public async Task<BootEvent?> FindLatestLeaseAsync(Ipv4Address address, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.BootEvents.AsNoTracking().Where(e => e.Kind == BootEventKind.DhcpLease && e.ClientAddress == address)
            .OrderByDescending(e => e.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BootEvent>> ListRecentBootEventsAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return InTimeOrder(await db.BootEvents.AsNoTracking().Where(e => e.MachineId != null).OrderByDescending(e => e.Id).Take(count).ToListAsync(cancellationToken));
    }

    // The newest first by when they happened: script fetches are saved a moment after they happen, so an observation of the
    // same moment can be saved before them.
    private static List<BootEvent> InTimeOrder(List<BootEvent> newestSaved) =>
        [.. newestSaved.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)];

    private static async Task<List<ActiveTargetRow>> ActiveTargetsAsync(GGnetDbContext db, int? machineId, CancellationToken cancellationToken)
    {
        var active = Session.ActiveStates.ToList();
        var sessions = db.Sessions.Where(s => active.Contains(s.State));
        if (machineId is { } id)
        {
            sessions = sessions.Where(s => s.MachineId == id);
        }
        var rows = await (from session in sessions
                          join target in db.Targets on session.Id equals target.SessionId
                          join version in db.ImageVersions on session.ImageVersionId equals version.Id
                          join image in db.Images on version.ImageId equals image.Id
                          from node in db.Nodes.Where(n => n.Name == session.NodeName).DefaultIfEmpty()
                          select new
                          {
                              session.MachineId, SessionId = session.Id, ImageName = image.Name, version.Number, target.Iqn, target.Lun, target.ChapUser, target.ChapMutual,
                              Portal = node == null ? null : node.PortalAddress,
                              session.InstallMedium, session.DataImageVersionIds, session.SystemCopyVersionId,
                          })
                         .AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(r => new ActiveTargetRow(r.MachineId, new ActiveTarget(r.SessionId, ImageVersion.Label(r.ImageName, r.Number), r.Iqn, r.Lun, r.ChapUser, r.ChapMutual,
            r.Portal is null ? null : Ipv4Address.Parse(r.Portal), r.InstallMedium,
            DataDisks: r.SystemCopyVersionId is null ? r.DataImageVersionIds.Count : 1, BootsFromCopy: r.SystemCopyVersionId is not null))).ToList();
    }

    private sealed record ActiveTargetRow(int MachineId, ActiveTarget Target);
}
