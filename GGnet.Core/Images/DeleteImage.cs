using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>Deletes an image with all its versions and their files — never while a session uses it or an import runs.</summary>
public sealed class DeleteImage(IImageRepository images, IImageFolder imageFolder, ISessionRepository sessions, DataImageHolders holders, IStatusNotifier notifier,
    Nodes.LocalNode local, TimeProvider clock)
{
    public async Task ExecuteAsync(int imageId, string actor, CancellationToken cancellationToken)
    {
        var image = await images.FindAsync(imageId, cancellationToken) ?? throw new NotFoundException($"There is no image with id {imageId}.");
        Nodes.StoredHere.Require(local, image.NodeName, $"Image '{image.Name}'");
        var inUse = await images.CountActiveSessionsAsync(imageId, cancellationToken);
        if (inUse > 0)
        {
            throw new ConflictException($"Image '{image.Name}' is in use by {inUse} session{(inUse == 1 ? "" : "s")}. Stop {(inUse == 1 ? "it" : "them")}, then delete the image.");
        }
        if (image.IsData && await holders.ListAsync(imageId, cancellationToken) is { Count: > 0 } attached)
        {
            throw new ConflictException(DataImageHolders.Sentence(image.Name, attached));
        }
        var versionIds = image.Versions.Select(v => v.Id).ToHashSet();
        if ((await sessions.ListKeptDisksAsync(cancellationToken)).FirstOrDefault(s => versionIds.Contains(s.ImageVersionId)) is { } kept)
        {
            throw new ConflictException(kept.Type == Domain.Sessions.SessionType.Maintenance
                ? $"Maintenance session {kept.Id} of '{image.Name}' has changes waiting. Commit or discard them first."
                : $"A persistent PC keeps a disk of '{image.Name}' (session {kept.Id}). Purge it first.");
        }
        if (image.Versions.Any(v => v.Status == ImageStatus.Converting))
        {
            throw new ConflictException($"Image '{image.Name}' is still being imported. Cancel the import first.");
        }
        await images.DeleteAsync(image, new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ImageDeleted, "image",
            image.Id.ToString(CultureInfo.InvariantCulture), $"name={image.Name} versions={image.Versions.Count}", null), cancellationToken);
        foreach (var version in image.Versions)
        {
            await imageFolder.DeleteAsync(version.Path, cancellationToken);
        }
        notifier.ImageChanged(image.Id);
    }
}
