using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Sessions;

/// <summary>Marks an active session Stopping and hands the teardown to a job. Stopping a stopped session changes nothing.</summary>
public sealed class StopSession(ISessionRepository sessions, ISessionJobs jobs, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task<Session> ExecuteAsync(int sessionId, string actor, CancellationToken cancellationToken)
    {
        var session = await sessions.FindAsync(sessionId, cancellationToken)
            ?? throw new NotFoundException($"There is no session with id {sessionId}.");
        if (!session.IsActive || session.State == SessionState.Stopping)
        {
            return session;
        }
        var before = session.State;
        session.MoveTo(SessionState.Stopping, clock.GetUtcNow().UtcDateTime);
        await sessions.SaveAsync(session,
            new AuditEvent(session.UpdatedAt, actor, AuditActions.SessionStopped, "session", sessionId.ToString(CultureInfo.InvariantCulture), $"state={before}", "state=Stopping"),
            cancellationToken);
        jobs.EnqueueTeardown(session.Id);
        notifier.MachineChanged(session.MachineId);
        return session;
    }
}
