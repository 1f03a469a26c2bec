using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>Rollback (or forward): any ready version becomes the one new sessions use, at once. Running sessions keep theirs until they restart.</summary>
public sealed class MakeVersionCurrent(IImageRepository images, IAuditLog audit, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task ExecuteAsync(int imageId, int versionId, string actor, CancellationToken cancellationToken)
    {
        var image = await images.FindAsync(imageId, cancellationToken) ?? throw new NotFoundException($"There is no image with id {imageId}.");
        var version = image.Versions.FirstOrDefault(v => v.Id == versionId) ?? throw new NotFoundException($"Image '{image.Name}' has no version with id {versionId}.");
        if (version.Status != ImageStatus.Ready)
        {
            throw new ConflictException($"Version {version.Number} of '{image.Name}' is {version.Status.ToString().ToLowerInvariant()}, not ready: it can't be booted.");
        }
        if (image.CurrentVersionId == version.Id)
        {
            return;
        }
        var before = image.Versions.FirstOrDefault(v => v.Id == image.CurrentVersionId)?.Number;
        // Not while a commit prunes old versions: it could remove the one being made current.
        await MaintenanceDisk.Gate.WaitAsync(cancellationToken);
        try
        {
            if ((await images.FindAsync(image.Id, cancellationToken))?.Versions.Any(v => v.Id == version.Id) != true)
            {
                throw new NotFoundException($"Version {version.Number} of '{image.Name}' was just removed (only the newest versions are kept).");
            }
            await images.MakeCurrentAsync(image.Id, version.Id, cancellationToken);
        }
        finally
        {
            MaintenanceDisk.Gate.Release();
        }
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ImageRolledBack, "image", image.Id.ToString(CultureInfo.InvariantCulture),
            $"current=v{before}", $"current=v{version.Number}"), cancellationToken);
        notifier.ImageChanged(image.Id);
    }
}
