using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>
/// Marks an active session Stopping and hands the teardown to a job. Stopping a stopped session changes nothing. A
/// maintenance session whose PC still runs is not stopped unless forced: its disk becomes the image's next version,
/// and a PC that was not shut down leaves it half-written.
/// </summary>
public sealed class StopSession(ISessionRepository sessions, ISessionJobs jobs, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task<Session> ExecuteAsync(int sessionId, string actor, CancellationToken cancellationToken, bool force = false)
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
                throw new ConflictException($"The PC of maintenance session {sessionId} is still running. Shut it down from its own system first, so every change is on its disk, then stop the session. Stop it anyway only if the PC hangs: what it had not written yet will be missing from the next version.");
            }
            var before = session.State;
            session.MoveTo(SessionState.Stopping, clock.GetUtcNow().UtcDateTime);
            var audit = new AuditEvent(session.UpdatedAt, actor, AuditActions.SessionStopped, "session", sessionId.ToString(CultureInfo.InvariantCulture), $"state={before}", "state=Stopping");
            if (await sessions.SaveStateIfStillAsync(session, before, audit, cancellationToken))
            {
                // The teardown waits for the machine's lock: a provisioning job still at work finishes first.
                jobs.EnqueueTeardown(session.Id, session.NodeName);
                notifier.MachineChanged(session.MachineId);
                return session;
            }
            if (attempt == MaxAttempts)
            {
                throw new ConflictException($"Session {sessionId} kept changing while it was being stopped. Stop it again.");
            }
        }
    }

    private const int MaxAttempts = 5;
}
