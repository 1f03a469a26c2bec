using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>
/// Marks an active session Stopping and hands the teardown to a job. Stopping a stopped session changes nothing. A
/// maintenance session whose PC still runs is not stopped unless forced: its disk becomes the image's next version,
/// and a PC that was not shut down leaves it half-written.
/// </summary>
public sealed class StopSession(ISessionRepository sessions, ISessionJobs jobs, TimeProvider clock)
{
    public async Task<Session> ExecuteAsync(int sessionId, string actor, CancellationToken cancellationToken, bool force = false, string? why = null)
    {
        // The state is moved only from the one it was read in: a provisioning job that finishes meanwhile makes
        // it Ready, and the stop, read again, applies to that.
        for (var attempt = 1; ; attempt++)
        {
            var session = await sessions.FindAsync(sessionId, cancellationToken)
                ?? throw new NotFoundException($"There is no session with id {sessionId}.");
            if (!session.IsActive || session.State == SessionState.Stopping)
            {
                return session;
            }
            if (session.Type == SessionType.Maintenance && session.State is SessionState.Booting or SessionState.Online && !force)
            {
                throw new ConflictException($"The PC of maintenance session {sessionId} is still running. " +
                    "Shut it down from its own system first, so every change is on its disk, then stop the session. " +
                    "Stop it anyway only if the PC hangs: what it had not written yet will be missing from the next version.");
            }
            var before = session.State;
            session.Stop(actor, clock.GetUtcNow().UtcDateTime, why);
            if (await sessions.SaveStateIfStillAsync(session, before, cancellationToken))
            {
                // The teardown waits for the machine's lock: a provisioning job still at work finishes first.
                jobs.EnqueueTeardown(session.Id, session.NodeName);
                return session;
            }
            if (attempt == MaxAttempts)
            {
                throw new ConflictException($"Session {sessionId} kept changing while it was being stopped. Stop it again.");
            }
        }
    }

    /// <summary>
    /// Closing time: many sessions at once, their moves to Stopping saved in one transaction with their audit entries and
    /// their teardowns handed to one job per node. Returns the ids stopped so; a session that is already stopping,
    /// whose maintenance PC still runs, or that changed since it was read, is left to <see cref="ExecuteAsync"/>.
    /// </summary>
    public async Task<IReadOnlySet<int>> ExecuteManyAsync(IReadOnlyList<Session> active, string actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var moves = new List<StopIfStill>();
        foreach (var session in active.Where(s => s.IsActive && s.State != SessionState.Stopping
            && !(s.Type == SessionType.Maintenance && s.State is SessionState.Booting or SessionState.Online)))
        {
            var before = session.State;
            session.Stop(actor, now);
            moves.Add(new StopIfStill(session, before));
        }
        var stopped = moves.Count == 0 ? new HashSet<int>() : await sessions.SaveStopsIfStillAsync(moves, cancellationToken);
        var saved = moves.Select(m => m.Session).Where(s => stopped.Contains(s.Id)).ToList();
        foreach (var node in saved.GroupBy(s => s.NodeName))
        {
            jobs.EnqueueTeardown(node.Select(s => s.Id).ToList(), node.Key);
        }
        return stopped;
    }

    private const int MaxAttempts = 5;
}
