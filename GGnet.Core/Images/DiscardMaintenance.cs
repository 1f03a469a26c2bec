using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>Throws a stopped maintenance session's changes away: its kept disk is deleted, the image stays as it was.</summary>
public sealed class DiscardMaintenance(ISessionRepository sessions, IImageRepository images, IImageFolder imageFolder, IStatusNotifier notifier, Nodes.LocalNode local, TimeProvider clock)
{
    public async Task ExecuteAsync(int sessionId, string actor, CancellationToken cancellationToken)
    {
        await MaintenanceDisk.Gate.WaitAsync(cancellationToken);
        try
        {
            var (session, image) = await MaintenanceDisk.FindAsync(sessions, images, sessionId, cancellationToken);
            Nodes.StoredHere.Require(local, session.NodeName, $"The disk of maintenance session {sessionId}");
            await imageFolder.DeleteAsync(session.KeptDiskPath!, cancellationToken);
            session.ReleaseKeptDisk();
            await sessions.SaveAsync(session, new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.MaintenanceDiscarded, "image",
                image.Id.ToString(CultureInfo.InvariantCulture), $"session={session.Id}", null), cancellationToken);
            notifier.ImageChanged(image.Id);
        }
        finally
        {
            MaintenanceDisk.Gate.Release();
        }
    }
}
