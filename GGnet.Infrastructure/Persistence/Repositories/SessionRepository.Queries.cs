using GGnet.Core.Common;
using GGnet.Core.Domain.Machines;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Persistence.Repositories;

/// <summary>Sessions read for the pages, the API, the observers and the metrics: lists and counts, nothing written.</summary>
internal sealed partial class SessionRepository
{
    public async Task<Page<Session>> ListAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        IQueryable<Session> sessions = db.Sessions.Include(s => s.Target);
        if (query.State is { } state)
        {
            sessions = sessions.Where(s => s.State == state);
        }
        if (query.MachineId is { } machineId)
        {
            sessions = sessions.Where(s => s.MachineId == machineId);
        }
        if (query.ActiveOnly)
        {
            sessions = sessions.Where(s => Active.Contains(s.State));
        }
        if (query.GroupId is { } groupId)
        {
            sessions = sessions.Where(s => db.Machines.Any(m => m.Id == s.MachineId && m.GroupId == groupId));
        }
        if (query.ImageId is { } imageId)
        {
            sessions = sessions.Where(s => db.ImageVersions.Any(v => v.Id == s.ImageVersionId && v.ImageId == imageId));
        }
        if (query.Type is { } type)
        {
            sessions = sessions.Where(s => s.Type == type);
        }
        if (query.Since is { } since)
        {
            sessions = sessions.Where(s => s.CreatedAt >= since);
        }
        if (query.UpdatedSince is { } updatedSince)
        {
            sessions = sessions.Where(s => s.UpdatedAt >= updatedSince);
        }
        if (query.EndedBadly)
        {
            sessions = sessions.Where(s => s.State == SessionState.Failed || s.StopReason != null);
        }
        var total = await sessions.CountAsync(cancellationToken);
        var items = await sessions.OrderByDescending(s => s.Id).Skip(query.Page.Skip).Take(query.Page.SafePageSize).AsNoTracking().ToListAsync(cancellationToken);
        return new Page<Session>(items, total, query.Page.SafePageNumber, query.Page.SafePageSize);
    }

    public async Task<IReadOnlyList<Session>> ListActiveAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AsNoTracking().Include(s => s.Target).Where(s => Active.Contains(s.State)).ToListAsync(cancellationToken);
    }

    public async Task<bool> AnyOnTheirWayUpAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Sessions
            .AnyAsync(s => s.Target != null && (s.State == SessionState.Booting
                || s.State == SessionState.Online && s.OsTookOverAt == null
                || s.State == SessionState.Ready && db.Machines.Any(m => m.Id == s.MachineId && (m.BootStage == BootStage.DhcpLease || m.BootStage == BootStage.ScriptFetched)
                    && m.BootStageChangedAt >= s.ReadyAt)), cancellationToken);
    }

    public async Task<IReadOnlyList<Session>> ListKeptDisksAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AsNoTracking().Include(s => s.Target).Where(s => s.KeptDiskPath != null && !Active.Contains(s.State)).OrderBy(s => s.Id).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<SessionState, int>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.GroupBy(s => s.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }

    private static readonly List<BootEventKind> BootStarts = [BootEventKind.DhcpLease, BootEventKind.ScriptFetchedHttp, BootEventKind.ScriptFetchedTftp];

    public async Task<IReadOnlyList<BootDuration>> ListBootDurationsAsync(DateTime since, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var online = await db.Sessions.AsNoTracking().Where(s => s.OnlineAt >= since && s.ReadyAt != null)
            .Select(s => new { s.MachineId, ReadyAt = s.ReadyAt!.Value, OnlineAt = s.OnlineAt!.Value }).ToListAsync(cancellationToken);
        if (online.Count == 0)
        {
            return [];
        }
        var earliest = online.Min(s => s.ReadyAt);
        var starts = (await db.BootEvents.AsNoTracking().Where(e => e.MachineId != null && e.At >= earliest && BootStarts.Contains(e.Kind))
                .Select(e => new { MachineId = e.MachineId!.Value, e.At }).ToListAsync(cancellationToken))
            .ToLookup(e => e.MachineId, e => e.At);
        // A boot starts with the PC's first lease or script request between its session being ready and it being seen online;
        // a session without one (the PC was already up) has no measurable boot.
        return online
            .Select(s => (Session: s, Start: starts[s.MachineId].Where(at => at >= s.ReadyAt && at <= s.OnlineAt).DefaultIfEmpty().Min()))
            .Where(b => b.Start != default)
            .Select(b => new BootDuration(b.Session.MachineId, b.Start, b.Session.OnlineAt))
            .ToList();
    }
}
