using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>
/// A canary: one group's PCs boot a new version at their next normal session while every other PC keeps the current one.
/// Same gate as making it current (<see cref="CandidateGate"/>). <see cref="MakeVersionCurrent"/> ends it for everyone;
/// <see cref="StopAsync"/> sends the group back; <see cref="WatchCanaries"/> does so by itself when a PC of it does not boot.
/// </summary>
public sealed class Canaries(IImageRepository images, IMachineGroupRepository groups, IStatusNotifier notifier, TimeProvider clock)
{
    public async Task<Image> StartAsync(int imageId, int versionId, int groupId, string actor, CancellationToken cancellationToken, string? overrideReason = null)
    {
        var (image, version) = await ImageVersionLookup.FindAsync(images, imageId, versionId, cancellationToken);
        var group = await groups.FindAsync(groupId, cancellationToken) ?? throw new NotFoundException($"There is no group with id {groupId}.");
        var label = ImageVersion.Label(image.Name, version.Number);
        ImageVersionLookup.RequireBootsItsOwnOs(image, version, "there is no boot to watch. Make the version current instead.");
        if (version.Id == image.CurrentVersionId)
        {
            throw new ConflictException($"{label} is the current version already: every group boots it.");
        }
        if (image.CanaryVersionId is { } running && running != version.Id)
        {
            throw new ConflictException($"v{image.Versions.FirstOrDefault(v => v.Id == running)?.Number} of '{image.Name}' is being tried on a group already. " +
                "Make it current or stop that canary first.");
        }
        var reason = CandidateGate.Reason(image, version, overrideReason, "tried on a group");
        var now = clock.GetUtcNow().UtcDateTime;
        image.StartCanary(version, group.Id, now);
        await images.SaveCanaryAsync(image, new AuditEvent(now, actor, AuditActions.CanaryStarted, "image", image.Id.ToString(CultureInfo.InvariantCulture), null,
            $"canary={label} group={group.Name}" + (reason is null ? "" : $" despite its failed test boot, because: {reason}")), cancellationToken);
        notifier.ImageChanged(image.Id);
        return image;
    }

    /// <summary>The group boots the current version again from its next sessions on; running sessions keep theirs until they restart.</summary>
    public async Task<Image> StopAsync(int imageId, string actor, CancellationToken cancellationToken)
    {
        var image = await images.FindAsync(imageId, cancellationToken) ?? throw new NotFoundException($"There is no image with id {imageId}.");
        if (image.CanaryVersionId is not { } canary)
        {
            return image;
        }
        var label = ImageVersion.Label(image.Name, image.Versions.FirstOrDefault(v => v.Id == canary)?.Number ?? 0);
        image.EndCanary();
        await images.SaveCanaryAsync(image, new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.CanaryEnded, "image",
            image.Id.ToString(CultureInfo.InvariantCulture), $"canary={label}", "canary=none"), cancellationToken);
        notifier.ImageChanged(image.Id);
        return image;
    }
}
