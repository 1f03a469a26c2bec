using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>Stops an image's running or queued conversion; its partial disk is removed and the version says it was cancelled.</summary>
public sealed class CancelImageImport(IImageRepository images, IImageFolder imageFolder, ImageConversions conversions, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task ExecuteAsync(int imageId, string actor, CancellationToken cancellationToken)
    {
        var image = await images.FindAsync(imageId, cancellationToken) ?? throw new NotFoundException($"There is no image with id {imageId}.");
        var converting = image.Versions.FirstOrDefault(v => v.Status == ImageStatus.Converting)
            ?? throw new ConflictException($"Image '{image.Name}' is not being imported; there is nothing to cancel.");
        if (conversions.Cancel(converting.Id))
        {
            return;
        }
        // Queued, not started (or running on another GGnet node): the job leaves a version that is no longer converting alone.
        if (await images.FindVersionAsync(converting.Id, cancellationToken) is not { Status: ImageStatus.Converting })
        {
            throw new ConflictException($"The import of '{image.Name}' has just finished; there is nothing to cancel.");
        }
        await imageFolder.DeleteAsync(converting.Path, cancellationToken);
        converting.MarkFailed($"Cancelled by {actor} before it started.");
        await images.SaveVersionAsync(converting, new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ImageFailed, "image",
            image.Id.ToString(CultureInfo.InvariantCulture), null, $"version={converting.Number} reason=cancelled"), cancellationToken);
        notifier.ImageChanged(image.Id);
    }
}
