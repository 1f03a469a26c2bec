using GGnet.Core.Common;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Sessions;

namespace GGnet.Core.Ports;

/// <summary>
/// Where sessions live. The database itself allows one active session per machine. Each save also writes the audit
/// entries of what happened to the session (<see cref="Session.TakeHappened"/>) in the same commit, and once it is
/// committed hands what happened to <see cref="AfterSessionCommit"/>.
/// </summary>
public interface ISessionRepository
{
    /// <summary>Saves a new session; throws a conflict when the machine already has an active one.</summary>
    Task AddAsync(Session session, Func<Session, AuditEvent> audit, CancellationToken cancellationToken);

    /// <summary>
    /// Saves new sessions, each with its audit entry, in one transaction; throws a conflict, saving none, when one of
    /// the machines already has an active session.
    /// </summary>
    Task AddAsync(IReadOnlyList<Session> sessions, Func<Session, AuditEvent> audit, CancellationToken cancellationToken);

    Task<Session?> FindAsync(int id, CancellationToken cancellationToken);

    /// <summary>The sessions of these ids that exist, in one read.</summary>
    Task<IReadOnlyList<Session>> FindManyAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken);

    Task<Session?> FindActiveAsync(int machineId, CancellationToken cancellationToken);

    /// <summary>Saves the session; <paramref name="audit"/> is an entry for a change beyond its own (its image's changes discarded).</summary>
    Task SaveAsync(Session session, AuditEvent? audit, CancellationToken cancellationToken);

    /// <summary>Saves these sessions, each with its audit entries, in one transaction.</summary>
    Task SaveAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken);

    /// <summary>
    /// Saves where these sessions' kept disks are, and nothing else of them, in one transaction: a disk changes hands
    /// without a moment of having no owner, and a state saved meanwhile by another writer (a stop) stays.
    /// </summary>
    Task SaveKeptDisksAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the space these sessions wrote as last measured (<see cref="Session.MeasureOwnBytes"/>) and audits a warning
    /// they recorded, in one commit; a session that ended meanwhile is left as it is.
    /// </summary>
    Task SaveMeasuresAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the pending sessions among these to Provisioning, each by a conditional write, in one transaction, and returns
    /// them as saved; a session not pending (another run of the job has it, or it was stopped) is left out. Exactly one
    /// caller wins each session, however many jobs race.
    /// </summary>
    Task<IReadOnlyList<Session>> ClaimForProvisioningAsync(IReadOnlyList<int> sessionIds, DateTime at, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the session's state, its times and its failure reason (and its audit entries, in the same transaction) only
    /// while the stored state is still <paramref name="readAs"/>: a change decided on an earlier read (the PC came online,
    /// a stop) never writes over one saved since. False when the session had moved on; nothing is saved then.
    /// </summary>
    Task<bool> SaveStateIfStillAsync(Session session, SessionState readAs, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="SaveStateIfStillAsync"/> for many sessions moved to Stopping (their state and its time, nothing else
    /// changed), in one transaction: each stop (with its audit entries) is saved only while its stored state is still the
    /// one it was read in. Returns the ids of the sessions saved.
    /// </summary>
    Task<IReadOnlySet<int>> SaveStopsIfStillAsync(IReadOnlyList<StopIfStill> stops, CancellationToken cancellationToken);

    /// <summary>
    /// Saves provisioned sessions' targets and, for each still Provisioning, its move to Ready with its audit entry, in one
    /// transaction. Returns the ids made Ready; a session another writer moved meanwhile (a stop) is left as it is.
    /// </summary>
    Task<IReadOnlySet<int>> SaveReadyAsync(IReadOnlyList<Session> sessions, CancellationToken cancellationToken);

    Task<Page<Session>> ListAsync(SessionQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<Session>> ListActiveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether any active session with a target is on its way up (<see cref="ObserveBoots.IsOnItsWayUp"/>): Booting, Online
    /// before its OS took the disk over, or Ready while its PC's last boot stage is a lease or a script that came since. A
    /// few at any time, where a full hall has a thousand running, even with its PCs left at their firmware's prompt since
    /// before their sessions: asked every few seconds, answered without reading a session.
    /// </summary>
    Task<bool> AnyOnTheirWayUpAsync(CancellationToken cancellationToken);

    /// <summary>Ended sessions whose disk is kept: maintenance changes waiting, persistent PCs' own disks.</summary>
    Task<IReadOnlyList<Session>> ListKeptDisksAsync(CancellationToken cancellationToken);

    /// <summary>How many sessions are in each state.</summary>
    Task<IReadOnlyDictionary<SessionState, int>> CountByStateAsync(CancellationToken cancellationToken);

    /// <summary>Boots that reached Online since then, each from the PC's first lease or script request after its session was ready.</summary>
    Task<IReadOnlyList<BootDuration>> ListBootDurationsAsync(DateTime since, CancellationToken cancellationToken);
}
