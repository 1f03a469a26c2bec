using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Tests.Support;

/// <summary>
/// The real sessions, except that the first list of active sessions is one read earlier: what a reconcile pass sees when
/// a start or stop runs between its first read and its work.
/// </summary>
public sealed class StaleActiveSessions(ISessionRepository real, IReadOnlyList<Session> readEarlier) : ISessionRepository
{
    private int _lists;

    public Task<IReadOnlyList<Session>> ListActiveAsync(CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _lists) == 1 ? Task.FromResult(readEarlier) : real.ListActiveAsync(cancellationToken);

    public Task<bool> AnyOnTheirWayUpAsync(CancellationToken cancellationToken) => real.AnyOnTheirWayUpAsync(cancellationToken);

    public Task AddAsync(Session session, Func<Session, AuditEvent> audit, CancellationToken cancellationToken) => real.AddAsync(session, audit, cancellationToken);

    public Task AddAsync(IReadOnlyList<Session> sessions, Func<Session, AuditEvent> audit, CancellationToken cancellationToken) => real.AddAsync(sessions, audit, cancellationToken);

    public Task<Session?> FindAsync(int id, CancellationToken cancellationToken) => real.FindAsync(id, cancellationToken);

    public Task<IReadOnlyList<Session>> FindManyAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken) => real.FindManyAsync(ids, cancellationToken);

    public Task<Session?> FindActiveAsync(int machineId, CancellationToken cancellationToken) => real.FindActiveAsync(machineId, cancellationToken);

    public Task SaveAsync(Session session, AuditEvent? audit, CancellationToken cancellationToken) => real.SaveAsync(session, audit, cancellationToken);

    public Task SaveAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => real.SaveAsync(sessions, cancellationToken);

    public Task SaveKeptDisksAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => real.SaveKeptDisksAsync(sessions, cancellationToken);

    public Task SaveMeasuresAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => real.SaveMeasuresAsync(sessions, cancellationToken);

    public Task<IReadOnlyList<Session>> ClaimForProvisioningAsync(IReadOnlyList<int> sessionIds, DateTime at, CancellationToken cancellationToken) =>
        real.ClaimForProvisioningAsync(sessionIds, at, cancellationToken);

    public Task<bool> SaveStateIfStillAsync(Session session, SessionState readAs, CancellationToken cancellationToken) => real.SaveStateIfStillAsync(session, readAs, cancellationToken);

    public Task<IReadOnlySet<int>> SaveStopsIfStillAsync(IReadOnlyList<StopIfStill> stops, CancellationToken cancellationToken) => real.SaveStopsIfStillAsync(stops, cancellationToken);

    public Task<IReadOnlySet<int>> SaveReadyAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => real.SaveReadyAsync(sessions, cancellationToken);

    public Task<Page<Session>> ListAsync(SessionQuery query, CancellationToken cancellationToken) => real.ListAsync(query, cancellationToken);

    public Task<IReadOnlyList<Session>> ListKeptDisksAsync(CancellationToken cancellationToken) => real.ListKeptDisksAsync(cancellationToken);

    public Task<IReadOnlyDictionary<SessionState, int>> CountByStateAsync(CancellationToken cancellationToken) => real.CountByStateAsync(cancellationToken);

    public Task<IReadOnlyList<BootDuration>> ListBootDurationsAsync(DateTime since, CancellationToken cancellationToken) => real.ListBootDurationsAsync(since, cancellationToken);
}
