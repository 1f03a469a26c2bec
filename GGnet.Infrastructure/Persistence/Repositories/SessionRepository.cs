using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace GGnet.Infrastructure.Persistence.Repositories;

/// <summary>
/// Sessions in the database. A transaction that writes several sessions' rows one by one writes them in the order of their
/// ids, whatever the order it was handed them in: two such transactions over the same sessions (a job run twice, a bulk
/// stop during a bulk start's Ready saves) then take the rows' locks in the same order, and PostgreSQL never finds each
/// waiting for the other (a deadlock, which fails one of them). Its lists and counts are in SessionRepository.Queries.cs.
/// </summary>
internal sealed partial class SessionRepository(IDbContextFactory<GGnetDbContext> contexts, AfterSessionCommit afterCommit, ILogger<SessionRepository> logger)
    : ISessionRepository
{
    private static readonly List<SessionState> Active = [.. Session.ActiveStates];

    public Task AddAsync(Session session, Func<Session, AuditEvent> audit, CancellationToken cancellationToken) =>
        AddAllAsync([session], audit, "This machine already has an active session (started a moment ago). Stop it before starting another.", cancellationToken);

    public Task AddAsync(IReadOnlyList<Session> sessions, Func<Session, AuditEvent> audit, CancellationToken cancellationToken) =>
        AddAllAsync(sessions, audit, "One of these machines already has an active session (started a moment ago).", cancellationToken);

    // The sessions first (their ids are the audit entries' subjects), then the entries, in one transaction.
    private async Task AddAllAsync(IReadOnlyList<Session> sessions, Func<Session, AuditEvent> audit, string busy, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Sessions.AddRange(sessions);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (UniqueViolation.Matches(exception))
        {
            throw new ConflictException(busy);
        }
        db.AuditEvents.AddRange(sessions.Select(audit));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Session?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AsNoTracking().Include(s => s.Target).FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
    }

    public async Task<IReadOnlyList<Session>> FindManyAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AsNoTracking().Include(s => s.Target).Where(s => ids.Contains(s.Id)).ToListAsync(cancellationToken);
    }

    public async Task<Session?> FindActiveAsync(int machineId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AsNoTracking().Include(s => s.Target).FirstOrDefaultAsync(s => s.MachineId == machineId && Active.Contains(s.State), cancellationToken);
    }

    public async Task SaveAsync(Session session, AuditEvent? audit, CancellationToken cancellationToken)
    {
        var happened = session.TakeHappened();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Sessions.Update(session);
        if (audit is not null)
        {
            db.AuditEvents.Add(audit);
        }
        AddAudits(db, happened);
        await db.SaveChangesAsync(cancellationToken);
        await AfterCommitAsync(happened);
    }

    public async Task SaveAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken)
    {
        var happened = sessions.SelectMany(session => session.TakeHappened()).ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.Sessions.UpdateRange(sessions);
        AddAudits(db, happened);
        await db.SaveChangesAsync(cancellationToken);
        await AfterCommitAsync(happened);
    }

    public async Task SaveKeptDisksAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var session in sessions.OrderBy(s => s.Id))
        {
            var path = session.KeptDiskPath;
            await db.Sessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(set => set.SetProperty(s => s.KeptDiskPath, path), cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Session>> ClaimForProvisioningAsync(IReadOnlyList<int> sessionIds, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = new List<int>();
        foreach (var id in sessionIds.Order())
        {
            if (await db.Sessions.Where(s => s.Id == id && s.State == SessionState.Pending)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.State, SessionState.Provisioning).SetProperty(s => s.UpdatedAt, at), cancellationToken) == 1)
            {
                claimed.Add(id);
            }
        }
        var sessions = claimed.Count == 0 ? [] : await db.Sessions.AsNoTracking().Include(s => s.Target).Where(s => claimed.Contains(s.Id)).ToListAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return sessions;
    }

    public async Task<bool> SaveStateIfStillAsync(Session session, SessionState readAs, CancellationToken cancellationToken)
    {
        var happened = session.TakeHappened();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await TryMoveAsync(db, session, readAs, cancellationToken))
        {
            return false;
        }
        if (AddAudits(db, happened))
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        await AfterCommitAsync(happened);
        return true;
    }

    public async Task<IReadOnlySet<int>> SaveStopsIfStillAsync(IReadOnlyList<StopIfStill> stops, CancellationToken cancellationToken)
    {
        if (stops.Any(m => m.Session.State != SessionState.Stopping))
        {
            throw new ArgumentException("Only sessions moved to Stopping are saved as stops.", nameof(stops));
        }
        var happened = stops.ToDictionary(m => m.Session.Id, m => m.Session.TakeHappened());
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var saved = db.Database.IsSqlite() ? await StopTogetherAsync(db, transaction, stops, cancellationToken) : null;
        saved ??= await StopOneByOneAsync(db, stops, cancellationToken);
        var savedHappened = saved.SelectMany(id => happened[id]).ToList();
        AddAudits(db, savedHappened);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await AfterCommitAsync(savedHappened);
        return saved;
    }

    // SQLite holds the whole database for a transaction, so rows have no order to be locked in: the sessions read in the
    // same state move in one statement (a statement for each took 15–30 ms of a 200-session stop-many call). Null, with
    // nothing moved, when a group comes up short: one of them moved meanwhile, and only a move at a time tells which.
    private static async Task<HashSet<int>?> StopTogetherAsync(GGnetDbContext db, IDbContextTransaction transaction, IReadOnlyList<StopIfStill> stops,
        CancellationToken cancellationToken)
    {
        await transaction.CreateSavepointAsync(nameof(StopTogetherAsync), cancellationToken);
        foreach (var group in stops.GroupBy(m => (m.ReadAs, m.Session.UpdatedAt, m.Session.StopReason)))
        {
            var ids = group.Select(m => m.Session.Id).ToList();
            var moved = await db.Sessions
                .Where(s => ids.Contains(s.Id) && s.State == group.Key.ReadAs)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(s => s.State, SessionState.Stopping)
                    .SetProperty(s => s.UpdatedAt, group.Key.UpdatedAt)
                    .SetProperty(s => s.StopReason, group.Key.StopReason), cancellationToken);
            if (moved != ids.Count)
            {
                await transaction.RollbackToSavepointAsync(nameof(StopTogetherAsync), cancellationToken);
                return null;
            }
        }
        return [.. stops.Select(m => m.Session.Id)];
    }

    // One at a time, in the order of their ids (see the class's summary).
    private static async Task<HashSet<int>> StopOneByOneAsync(GGnetDbContext db, IReadOnlyList<StopIfStill> stops, CancellationToken cancellationToken)
    {
        var saved = new HashSet<int>();
        foreach (var stop in stops.OrderBy(m => m.Session.Id))
        {
            if (await TryMoveAsync(db, stop.Session, stop.ReadAs, cancellationToken))
            {
                saved.Add(stop.Session.Id);
            }
        }
        return saved;
    }

    public async Task SaveMeasuresAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken)
    {
        var happened = new List<SessionEvent>();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var session in sessions.OrderBy(s => s.Id))
        {
            var itsHappened = session.TakeHappened();
            await db.Sessions.Where(s => s.Id == session.Id && Active.Contains(s.State))
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.OwnBytes, session.OwnBytes).SetProperty(s => s.OwnBytesAt, session.OwnBytesAt), cancellationToken);
            // The warning is recorded once, whoever measured first (another pass, another node).
            if (itsHappened.Count > 0 && await db.Sessions.Where(s => s.Id == session.Id && Active.Contains(s.State) && s.SpaceLowAt == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.SpaceLowAt, session.SpaceLowAt), cancellationToken) == 1)
            {
                happened.AddRange(itsHappened);
            }
        }
        AddAudits(db, happened);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await AfterCommitAsync(happened);
    }

    public async Task<IReadOnlySet<int>> SaveReadyAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ready = new HashSet<int>();
        var happened = new List<SessionEvent>();
        foreach (var session in sessions.OrderBy(s => s.Id))
        {
            var itsHappened = session.TakeHappened();
            if (await TryMoveAsync(db, session, SessionState.Provisioning, cancellationToken))
            {
                // Attached unchanged, the session's new target is the only thing inserted.
                db.Sessions.Attach(session);
                ready.Add(session.Id);
                happened.AddRange(itsHappened);
            }
        }
        AddAudits(db, happened);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await AfterCommitAsync(happened);
        return ready;
    }

    // What happened is audited in the same commit as the change itself.
    private static bool AddAudits(GGnetDbContext db, IEnumerable<SessionEvent> happened)
    {
        var audits = happened.Select(e => e.Audit).OfType<AuditEvent>().ToList();
        db.AuditEvents.AddRange(audits);
        return audits.Count > 0;
    }

    // The change is saved: screens and webhooks hearing of it late or not at all must never undo it.
    private async Task AfterCommitAsync(IReadOnlyList<SessionEvent> happened)
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
            logger.LogError(problem, "Session {SessionId} was saved, but telling screens and webhooks about it failed", happened[0].Session.Id);
        }
    }

    private static async Task<bool> TryMoveAsync(GGnetDbContext db, Session session, SessionState readAs, CancellationToken cancellationToken) =>
        await db.Sessions
            .Where(s => s.Id == session.Id && s.State == readAs)
            .ExecuteUpdateAsync(set => set
                .SetProperty(s => s.State, session.State)
                .SetProperty(s => s.UpdatedAt, session.UpdatedAt)
                .SetProperty(s => s.FailureReason, session.FailureReason)
                .SetProperty(s => s.StopReason, session.StopReason)
                .SetProperty(s => s.ReadyAt, session.ReadyAt)
                .SetProperty(s => s.OnlineAt, session.OnlineAt)
                .SetProperty(s => s.OsTookOverAt, session.OsTookOverAt)
                .SetProperty(s => s.OsFirstTookOverAt, session.OsFirstTookOverAt), cancellationToken) == 1;
}
