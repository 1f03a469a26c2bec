using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>
/// Makes an image a system image (PCs boot it) or a data image (a game library attached beside the system). Not while a
/// session uses it; a data image attached to machines or groups stays a data image until it is detached, and an image a
/// schedule starts sessions on stays a system image.
/// </summary>
public sealed class SetImageKind(IImageRepository images, DataImageHolders holders, IScheduleRepository schedules, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task<Image> ExecuteAsync(int imageId, ImageKind kind, string actor, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new InvalidInputException(new Dictionary<string, string[]> { ["kind"] = ["An image is a 'system' image or a 'data' image."] });
        }
        var image = await images.FindAsync(imageId, cancellationToken) ?? throw new NotFoundException($"There is no image with id {imageId}.");
        if (image.Kind == kind)
        {
            return image;
        }
        var inUse = await images.CountActiveSessionsAsync(imageId, cancellationToken);
        if (inUse > 0)
        {
            throw new ConflictException($"Image '{image.Name}' is in use by {inUse} session{(inUse == 1 ? "" : "s")}. Stop {(inUse == 1 ? "it" : "them")}, then change what the image is.");
        }
        if (kind == ImageKind.System && await holders.ListAsync(imageId, cancellationToken) is { Count: > 0 } attached)
        {
            throw new ConflictException(DataImageHolders.Sentence(image.Name, attached));
        }
        if (kind == ImageKind.Data && (await schedules.ListAsync(cancellationToken)).FirstOrDefault(s => s.ImageId == imageId) is { } schedule)
        {
            throw new ConflictException($"Schedule {schedule.Id} starts sessions on image '{image.Name}' at {schedule.At:HH\\:mm}: a data image is never booted. "
                + "Give the schedule another image, or delete it, first.");
        }
        var before = $"kind={Name(image.Kind)}";
        image.UseAs(kind);
        await images.SaveKindAsync(image, new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ImageKindChanged, "image",
            image.Id.ToString(CultureInfo.InvariantCulture), before, $"kind={Name(kind)}"), cancellationToken);
        notifier.ImageChanged(image.Id);
        return image;
    }

    /// <summary>How the API, the pages and the audit name a kind: "system" or "data".</summary>
    public static string Name(ImageKind kind) => kind == ImageKind.Data ? "data" : "system";
}
