using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Domain.Sessions;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>
/// Turns a stopped maintenance session's disk into the image's next version and makes it current — a rename, so
/// instant on one filesystem. Running sessions keep their version until they restart. Old versions beyond the
/// retention go (never the current one, never one in use).
/// </summary>
public sealed class CommitMaintenance(ISessionRepository sessions, IImageRepository images, IImageFiles files, ImageRetention retention, IAuditLog audit, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task<ImageVersion> ExecuteAsync(int sessionId, string actor, CancellationToken cancellationToken)
    {
        await MaintenanceDisk.Gate.WaitAsync(cancellationToken);
        try
        {
            var (session, image) = await MaintenanceDisk.FindAsync(sessions, images, sessionId, cancellationToken);
            var kept = session.KeptDiskPath!;
            var number = image.Versions.Max(v => v.Number) + 1;
            var now = clock.GetUtcNow().UtcDateTime;
            var path = files.PathForVersion(image.Id, number);
            var size = image.Versions.First(v => v.Id == session.ImageVersionId).SizeBytes;
            await files.AdoptAsync(kept, path, cancellationToken);
            var version = new ImageVersion(image.Id, number, DiskFormat.Raw, size, path, now);
            version.MarkReady();
            try
            {
                await images.AddVersionAsync(version, new AuditEvent(now, actor, AuditActions.ImageCommitted, "image", image.Id.ToString(CultureInfo.InvariantCulture),
                    $"current=v{image.Versions.FirstOrDefault(v => v.Id == image.CurrentVersionId)?.Number}", $"current=v{number} from-session={session.Id}"), makeCurrent: true, cancellationToken);
            }
            catch
            {
                // Not recorded: the disk goes back, still waiting to be committed.
                await files.AdoptAsync(path, kept, CancellationToken.None);
                throw;
            }
            session.ReleaseKeptDisk();
            await sessions.SaveAsync(session, null, cancellationToken);
            await PruneAsync(image.Id, actor, cancellationToken);
            notifier.ImageChanged(image.Id);
            return version;
        }
        finally
        {
            MaintenanceDisk.Gate.Release();
        }
    }

    private async Task PruneAsync(int imageId, string actor, CancellationToken cancellationToken)
    {
        var image = (await images.FindAsync(imageId, cancellationToken))!;
        var inUse = await images.VersionsInUseAsync(imageId, cancellationToken);
        var old = image.Versions.Where(v => v.Status == ImageStatus.Ready).OrderByDescending(v => v.Number).Skip(retention.KeepVersions)
            .Where(v => v.Id != image.CurrentVersionId && !inUse.Contains(v.Id));
        foreach (var version in old)
        {
            await images.DeleteVersionAsync(version, cancellationToken);
            await files.DeleteAsync(version.Path, cancellationToken);
            await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.VersionPruned, "image", imageId.ToString(CultureInfo.InvariantCulture),
                $"version={version.Number}", $"kept the newest {retention.KeepVersions}"), cancellationToken);
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
        var version = await sessions.FindImageVersionAsync(session.ImageVersionId, cancellationToken) ?? throw new NotFoundException($"The image of session {sessionId} is gone.");
        var image = await images.FindAsync(version.ImageId, cancellationToken) ?? throw new NotFoundException($"The image of session {sessionId} is gone.");
        return (session, image);
    }
}
