using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Ports;
using GGnet.Core.Sessions;

namespace GGnet.Tests.Support;

/// <summary>
/// Sessions in a list, saved as the real repository saves them: a conditional save only while the stored state is the
/// one read, the audit entries of what happened written with the save, then handed to <see cref="AfterSessionCommit"/>.
/// Readers get the stored object itself (one test, one thread). Jobs are only remembered. The PCs in machines, when given,
/// answer which sessions are on their way up.
/// </summary>
public sealed class InMemorySessions(AfterSessionCommit afterCommit, IMachineRepository? machines = null) : ISessionRepository, ISessionJobs
{
    private readonly List<Session> _sessions = [];
    private readonly Dictionary<int, SessionState> _stored = [];

    public List<AuditEvent> Audit { get; } = [];

    /// <summary>The state as last saved (the object readers hold may have moved since, unsaved).</summary>
    public SessionState StoredState(int id) => _stored[id];

    public Task AddAsync(Session session, Func<Session, AuditEvent> audit, CancellationToken cancellationToken) => AddAsync([session], audit, cancellationToken);

    public Task AddAsync(IReadOnlyList<Session> sessions, Func<Session, AuditEvent> audit, CancellationToken cancellationToken)
    {
        foreach (var session in sessions)
        {
            typeof(Session).GetProperty(nameof(Session.Id))!.SetValue(session, _sessions.Count + 1);
            session.TakeHappened();
            _sessions.Add(session);
            _stored[session.Id] = session.State;
            Audit.Add(audit(session));
        }
        return Task.CompletedTask;
    }

    public Task<Session?> FindAsync(int id, CancellationToken cancellationToken) => Task.FromResult(_sessions.FirstOrDefault(s => s.Id == id));

    public Task<IReadOnlyList<Session>> FindManyAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Session>>([.. _sessions.Where(s => ids.Contains(s.Id))]);

    public Task<Session?> FindActiveAsync(int machineId, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.FirstOrDefault(s => s.MachineId == machineId && Session.ActiveStates.Contains(_stored[s.Id])));

    public Task SaveAsync(Session session, AuditEvent? audit, CancellationToken cancellationToken)
    {
        if (audit is not null)
        {
            Audit.Add(audit);
        }
        return CommitAsync(session);
    }

    public Task SaveKeptDisksAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task SaveMeasuresAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<Session>> ClaimForProvisioningAsync(IReadOnlyList<int> sessionIds, DateTime at, CancellationToken cancellationToken)
    {
        var claimed = new List<Session>();
        foreach (var session in _sessions.Where(s => sessionIds.Contains(s.Id) && _stored[s.Id] == SessionState.Pending))
        {
            session.MoveTo(SessionState.Provisioning, at);
            session.TakeHappened();
            _stored[session.Id] = SessionState.Provisioning;
            claimed.Add(session);
        }
        return Task.FromResult<IReadOnlyList<Session>>(claimed);
    }

    public async Task<bool> SaveStateIfStillAsync(Session session, SessionState readAs, CancellationToken cancellationToken)
    {
        if (_stored[session.Id] != readAs)
        {
            session.TakeHappened();
            return false;
        }
        await CommitAsync(session);
        return true;
    }

    public Task<IReadOnlySet<int>> SaveStopsIfStillAsync(IReadOnlyList<StopIfStill> stops, CancellationToken cancellationToken) =>
        SaveIfStillAsync(stops, cancellationToken);

    public Task<IReadOnlySet<int>> SaveReadyAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken) =>
        SaveIfStillAsync([.. sessions.Select(session => new StopIfStill(session, SessionState.Provisioning))], cancellationToken);

    private async Task<IReadOnlySet<int>> SaveIfStillAsync(IReadOnlyList<StopIfStill> moves, CancellationToken cancellationToken)
    {
        var saved = new HashSet<int>();
        foreach (var move in moves)
        {
            if (await SaveStateIfStillAsync(move.Session, move.ReadAs, cancellationToken))
            {
                saved.Add(move.Session.Id);
            }
        }
        return saved;
    }

    public async Task SaveAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken)
    {
        foreach (var session in sessions)
        {
            await CommitAsync(session);
        }
    }

    /// <summary>Someone else saved a state meanwhile (a stop): conditional saves read as another state now fail.</summary>
    public void StoredStateChangedTo(int sessionId, SessionState state) => _stored[sessionId] = state;

    public Task<Page<Session>> ListAsync(SessionQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(new Page<Session>([.. _sessions], _sessions.Count, 1, _sessions.Count));

    /// <summary>How many times every active session was read (<see cref="ListActiveAsync"/>).</summary>
    public int ActiveListings { get; private set; }

    public Task<IReadOnlyList<Session>> ListActiveAsync(CancellationToken cancellationToken)
    {
        ActiveListings++;
        return Task.FromResult<IReadOnlyList<Session>>(_sessions.Where(s => Session.ActiveStates.Contains(_stored[s.Id])).ToList());
    }

    // The observer's own rule over the PCs in machines; without them, every active session with a target counts.
    public async Task<bool> AnyOnTheirWayUpAsync(CancellationToken cancellationToken)
    {
        foreach (var session in _sessions.Where(s => Session.ActiveStates.Contains(_stored[s.Id]) && s.Target is not null))
        {
            if (machines is null || ObserveBoots.IsOnItsWayUp(session, await machines.FindAsync(session.MachineId, cancellationToken)))
            {
                return true;
            }
        }
        return false;
    }

    public Task<IReadOnlyList<Session>> ListKeptDisksAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Session>>(_sessions.Where(s => !Session.ActiveStates.Contains(_stored[s.Id]) && s.KeptDiskPath is not null).ToList());

    public Task<IReadOnlyDictionary<SessionState, int>> CountByStateAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<SessionState, int>>(_stored.Values.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count()));

    public Task<IReadOnlyList<BootDuration>> ListBootDurationsAsync(DateTime since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BootDuration>>([]);

    public List<int> ProvisionsEnqueued { get; } = [];

    public List<int> TeardownsEnqueued { get; } = [];

    public void EnqueueProvision(int sessionId, string node) => ProvisionsEnqueued.Add(sessionId);

    public void EnqueueProvision(IReadOnlyList<int> sessionIds, string node) => ProvisionsEnqueued.AddRange(sessionIds);

    public void EnqueueTeardown(int sessionId, string node) => TeardownsEnqueued.Add(sessionId);

    public void EnqueueTeardown(IReadOnlyList<int> sessionIds, string node) => TeardownsEnqueued.AddRange(sessionIds);

    public void EnqueueReconcile(string node)
    {
    }

    private async Task CommitAsync(Session session)
    {
        var happened = session.TakeHappened();
        Audit.AddRange(happened.Select(e => e.Audit).OfType<AuditEvent>());
        _stored[session.Id] = session.State;
        if (happened.Count > 0)
        {
            await afterCommit.HandleAsync(happened, CancellationToken.None);
        }
    }
}
