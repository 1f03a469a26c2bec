using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;
using GGnet.Core.Storage;

namespace GGnet.Core.Images;

/// <summary>
/// Retention: versions beyond the newest <see cref="ImageRetention.KeepVersions"/> go, never the current one, never
/// one in use or under a kept disk. On an overlay pool a version may be the base of a newer one (a qcow2 chain):
/// before it goes, each version built on it takes in its data (a safe re-base), so nothing reads differently. A base
/// whose dependant is in use stays until a later commit, and the audit says so.
/// </summary>
public sealed class PruneVersions(IImageRepository images, IDiskImageTool tool, IImageFolder imageFolder, ImageRetention retention, IAuditLog audit, TimeProvider clock)
{
    public async Task ExecuteAsync(int imageId, string actor, CancellationToken cancellationToken)
    {
        var image = (await images.FindAsync(imageId, cancellationToken))!;
        var inUse = await images.VersionsInUseAsync(imageId, cancellationToken);
        var remaining = image.Versions.Where(v => v.Status == ImageStatus.Ready).ToList();
        var old = remaining.OrderByDescending(v => v.Number).Skip(retention.KeepVersions)
            .Where(v => v.Id != image.CurrentVersionId && v.Id != image.CanaryVersionId && !inUse.Contains(v.Id) && !v.TrialRunning)
            .OrderBy(v => v.Number).ToList();
        foreach (var version in old)
        {
            string? stays;
            try
            {
                stays = await FoldIntoDependantsAsync(version, remaining, cancellationToken);
            }
            catch (Exception problem) when (problem is not OperationCanceledException)
            {
                // The commit is done either way: a version that can't be pruned now simply stays.
                stays = problem.Message;
            }
            if (stays is not null)
            {
                await WriteAsync(AuditActions.VersionRetained, imageId, actor, $"version={version.Number}", stays, cancellationToken);
                continue;
            }
            await images.DeleteVersionAsync(version, cancellationToken);
            await imageFolder.DeleteAsync(version.Path, cancellationToken);
            remaining.Remove(version);
            await WriteAsync(AuditActions.VersionPruned, imageId, actor, $"version={version.Number}", $"kept the newest {retention.KeepVersions}", cancellationToken);
        }
    }

    // Returns why the version must stay, or null once nothing leans on it any more.
    private async Task<string?> FoldIntoDependantsAsync(ImageVersion version, IReadOnlyList<ImageVersion> remaining, CancellationToken cancellationToken)
    {
        var below = await BackingOfAsync(version, remaining, cancellationToken);
        foreach (var dependant in remaining.Where(v => v.Id != version.Id && v.Format == DiskFormat.Qcow2))
        {
            if (!SameFile((await tool.InspectAsync(dependant.Path, cancellationToken)).BackingFile, version.Path))
            {
                continue;
            }
            try
            {
                await tool.RebaseAsync(new DiskFile(dependant.Path, dependant.Format), below, cancellationToken);
            }
            catch (IOException busy)
            {
                return $"v{dependant.Number} is built on it and could not take in its data now ({busy.Message}); it goes at a later commit";
            }
        }
        return null;
    }

    private async Task<DiskFile?> BackingOfAsync(ImageVersion version, IReadOnlyList<ImageVersion> remaining, CancellationToken cancellationToken)
    {
        if (version.Format != DiskFormat.Qcow2 || (await tool.InspectAsync(version.Path, cancellationToken)).BackingFile is not { } backing)
        {
            return null;
        }
        var parent = remaining.FirstOrDefault(v => SameFile(backing, v.Path))
            ?? throw new InvalidOperationException($"version {version.Number} is built on {backing}, which is no version of its image");
        return new DiskFile(parent.Path, parent.Format);
    }

    private static bool SameFile(string? backing, string path) =>
        backing is not null && string.Equals(Path.GetFullPath(backing), Path.GetFullPath(path), StringComparison.Ordinal);

    private Task WriteAsync(string action, int imageId, string actor, string before, string after, CancellationToken cancellationToken) =>
        audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, action, "image", imageId.ToString(CultureInfo.InvariantCulture), before, after), cancellationToken);
}
