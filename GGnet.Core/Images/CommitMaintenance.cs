using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>
/// Turns a stopped maintenance session's disk into the image's next version — a rename, so instant on one filesystem (on an
/// overlay pool the version is the session's qcow2 overlay, built on the version it started from). A system image's version
/// is a candidate: its test boot is queued (<see cref="TestCandidate"/>) and it is made current once it passed
/// (<see cref="MakeVersionCurrent"/>). A data image's version, the lab demo's, or any with test boots off, is current at once.
/// Running sessions keep their version until they restart. Old versions beyond the retention go.
/// </summary>
public sealed class CommitMaintenance(
    ISessionRepository sessions,
    IImageRepository images,
    IImageFolder imageFolder,
    IDiskCloner disks,
    PruneVersions prune,
    TrialSettings trials,
    IImageJobs jobs,
    IStatusNotifier notifier,
    Nodes.LocalNode local,
    TimeProvider clock)
{
    public async Task<ImageVersion> ExecuteAsync(int sessionId, string actor, CancellationToken cancellationToken)
    {
        await MaintenanceDisk.Gate.WaitAsync(cancellationToken);
        try
        {
            var (session, image) = await MaintenanceDisk.FindAsync(sessions, images, sessionId, cancellationToken);
            Nodes.StoredHere.Require(local, session.NodeName, $"The disk of maintenance session {sessionId}");
            var kept = session.KeptDiskPath!;
            var data = await disks.DataOfAsync(kept, cancellationToken);
            var number = image.Versions.Max(v => v.Number) + 1;
            var now = clock.GetUtcNow().UtcDateTime;
            var path = imageFolder.PathForVersion(image.Id, number, data.Format);
            var size = image.Versions.First(v => v.Id == session.ImageVersionId).SizeBytes;
            await imageFolder.AdoptAsync(data.Path, path, cancellationToken);
            var version = new ImageVersion(image.Id, number, data.Format, size, path, now);
            version.MarkReady();
            var candidate = trials.Enabled && !image.IsData && !image.FirmwareOnly;
            if (candidate)
            {
                version.AwaitTrial();
            }
            try
            {
                await images.AddVersionAsync(version, new AuditEvent(now, actor, AuditActions.ImageCommitted, "image", image.Id.ToString(CultureInfo.InvariantCulture),
                    $"current=v{image.Versions.FirstOrDefault(v => v.Id == image.CurrentVersionId)?.Number}",
                    $"{(candidate ? "candidate" : "current")}=v{number} from-session={session.Id}"), makeCurrent: !candidate, cancellationToken);
            }
            catch
            {
                // Not recorded: the disk goes back, still waiting to be committed.
                await imageFolder.AdoptAsync(path, data.Path, CancellationToken.None);
                throw;
            }
            session.ReleaseKeptDisk();
            await sessions.SaveAsync(session, null, cancellationToken);
            // What is left of the session disk (an overlay's mount point) goes.
            await disks.DeleteAsync(kept, cancellationToken);
            await prune.ExecuteAsync(image.Id, actor, cancellationToken);
            if (candidate)
            {
                jobs.EnqueueTrial(version.Id, local.Key);
            }
            notifier.ImageChanged(image.Id);
            return version;
        }
        finally
        {
            MaintenanceDisk.Gate.Release();
        }
    }
}

/// <summary>Finds a stopped maintenance session whose disk waits, with its image.</summary>
internal static class MaintenanceDisk
{
    /// <summary>Commits, discards and retention run one at a time: none of them may see another's half-done work.</summary>
    public static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<(Session Session, Image Image)> FindAsync(ISessionRepository sessions, IImageRepository images, int sessionId, CancellationToken cancellationToken)
    {
        var session = await sessions.FindAsync(sessionId, cancellationToken) ?? throw new NotFoundException($"There is no session with id {sessionId}.");
        if (session.Type != SessionType.Maintenance)
        {
            throw new ConflictException($"Session {sessionId} is a normal session: its changes are never kept. Only maintenance sessions can be committed.");
        }
        if (session.IsActive)
        {
            throw new ConflictException($"Maintenance session {sessionId} is still running. Stop it (shut the PC down first), then commit or discard.");
        }
        if (session.KeptDiskPath is null)
        {
            throw new ConflictException($"Maintenance session {sessionId} has no changes waiting: they were already committed or discarded.");
        }
        var version = await images.FindVersionAsync(session.ImageVersionId, cancellationToken) ?? throw new NotFoundException($"The image of session {sessionId} is gone.");
        var image = await images.FindAsync(version.ImageId, cancellationToken) ?? throw new NotFoundException($"The image of session {sessionId} is gone.");
        return (session, image);
    }
}
