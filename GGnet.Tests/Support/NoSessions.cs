using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Tests.Support;

/// <summary>
/// For component tests of pages that show sessions: there are none, and none can be started (past boots may be given,
/// running sessions to list, and ended ones for the listing that keeps those that ended badly).
/// </summary>
public sealed class NoSessions : ISessionRepository, ISessionJobs
{
    /// <summary>What the listing of running sessions returns (none by default).</summary>
    public List<Session> Running { get; } = [];

    /// <summary>Sessions that ended, for <see cref="ListAsync"/> (which honours its state, EndedBadly and UpdatedSince filters).</summary>
    public List<Session> Ended { get; } = [];

    /// <summary>Boots that went online earlier, for the dashboard's boot-duration chart.</summary>
    public List<BootDuration> PastBoots { get; } = [];

    public Task<IReadOnlyList<BootDuration>> ListBootDurationsAsync(DateTime since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BootDuration>>(PastBoots.Where(b => b.OnlineAt >= since).ToList());

    public Task AddAsync(Session session, Func<Session, AuditEvent> audit, CancellationToken cancellationToken) => throw new InvalidOperationException("no sessions in this test");

    public Task AddAsync(IReadOnlyList<Session> sessions, Func<Session, AuditEvent> audit, CancellationToken cancellationToken) => throw new InvalidOperationException("no sessions in this test");

    public Task<Session?> FindAsync(int id, CancellationToken cancellationToken) => Task.FromResult<Session?>(null);

    public Task<IReadOnlyList<Session>> FindManyAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Session>>([]);

    public Task<IReadOnlyList<Session>> ClaimForProvisioningAsync(IReadOnlyList<int> sessionIds, DateTime at, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Session>>([]);

    public Task<bool> SaveStateIfStillAsync(Session session, SessionState readAs, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<IReadOnlySet<int>> SaveStopsIfStillAsync(IReadOnlyList<StopIfStill> stops, CancellationToken cancellationToken) => throw new InvalidOperationException("no sessions in this test");

    public Task<IReadOnlySet<int>> SaveReadyAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => throw new InvalidOperationException("no sessions in this test");

    public Task<Session?> FindActiveAsync(int machineId, CancellationToken cancellationToken) => Task.FromResult<Session?>(null);

    public Task SaveAsync(Session session, AuditEvent? audit, CancellationToken cancellationToken) => throw new InvalidOperationException("no sessions in this test");

    public Task SaveAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => throw new InvalidOperationException("no sessions in this test");

    public Task SaveKeptDisksAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => throw new InvalidOperationException("no sessions in this test");

    public Task SaveMeasuresAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => throw new InvalidOperationException("no sessions in this test");

    public Task<Page<Session>> ListAsync(SessionQuery query, CancellationToken cancellationToken)
    {
        var listed = Ended.Where(s => (!query.EndedBadly || s.State == SessionState.Failed || s.StopReason is not null)
            && (query.State is null || s.State == query.State) && (query.UpdatedSince is null || s.UpdatedAt >= query.UpdatedSince)).ToList();
        return Task.FromResult(new Page<Session>(listed, listed.Count, 1, query.Page.SafePageSize));
    }

    public Task<IReadOnlyList<Session>> ListActiveAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Session>>(Running.ToList());

    // Every running session with a target counts: the observer then looks at the whole hall on each pass.
    public Task<bool> AnyOnTheirWayUpAsync(CancellationToken cancellationToken) => Task.FromResult(Running.Any(s => s.Target is not null));

    public Task<IReadOnlyList<Session>> ListKeptDisksAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Session>>([]);

    public Task<IReadOnlyDictionary<SessionState, int>> CountByStateAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<SessionState, int>>(new Dictionary<SessionState, int>());

    public void EnqueueProvision(int sessionId, string node) => throw new InvalidOperationException("no sessions in this test");

    public void EnqueueProvision(IReadOnlyList<int> sessionIds, string node) => throw new InvalidOperationException("no sessions in this test");

    public void EnqueueTeardown(int sessionId, string node) => throw new InvalidOperationException("no sessions in this test");

    public void EnqueueTeardown(IReadOnlyList<int> sessionIds, string node) => throw new InvalidOperationException("no sessions in this test");

    public void EnqueueReconcile(string node)
    {
    }
}
