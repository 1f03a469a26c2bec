using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>Frees the space of a persistent PC's kept disk: its next session starts from a fresh copy of the image.</summary>
public sealed class PurgeKeptDisk(ISessionRepository sessions, IDiskCloner disks, IAuditLog audit, IStatusNotifier notifier, Nodes.LocalNode local, TimeProvider clock)
{
    public async Task ExecuteAsync(int sessionId, string actor, CancellationToken cancellationToken)
    {
        var session = await sessions.FindAsync(sessionId, cancellationToken) ?? throw new NotFoundException($"There is no session with id {sessionId}.");
        Nodes.StoredHere.Require(local, session.NodeName, $"The kept disk of session {sessionId}");
        if (session.Type != SessionType.Normal || session.KeptDiskPath is null || session.IsActive)
        {
            throw new ConflictException($"Session {sessionId} has no kept disk of a persistent PC to purge (maintenance changes are committed or discarded instead).");
        }
        await disks.DeleteAsync(session.KeptDiskPath, cancellationToken);
        session.ReleaseKeptDisk();
        await sessions.SaveAsync(session, null, cancellationToken);
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.KeptDiskPurged, "session", session.Id.ToString(CultureInfo.InvariantCulture),
            $"machine={session.MachineId}", null), cancellationToken);
        notifier.MachineChanged(session.MachineId);
    }
}
