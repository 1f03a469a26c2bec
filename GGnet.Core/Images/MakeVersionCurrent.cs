using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>
/// Rollback (or forward): any ready version becomes the one new sessions use, at once. Running sessions keep theirs until they
/// restart. A candidate still in its test boot waits for it; one that failed it is made current only with a reason, which the
/// audit keeps.
/// </summary>
public sealed class MakeVersionCurrent(IImageRepository images, IAuditLog audit, IStatusNotifier notifier, TimeProvider clock)
{
    /// <summary>The longest reason an admin gives for making a failed candidate current.</summary>
    public const int MaxReasonLength = CandidateGate.MaxReasonLength;

    public async Task ExecuteAsync(int imageId, int versionId, string actor, CancellationToken cancellationToken, string? overrideReason = null)
    {
        var (image, version) = await ImageVersionLookup.FindAsync(images, imageId, versionId, cancellationToken);
        if (version.Status != ImageStatus.Ready)
        {
            throw new ConflictException($"Version {version.Number} of '{image.Name}' is {version.Status.ToString().ToLowerInvariant()}, not ready: it can't be booted.");
        }
        if (image.CurrentVersionId == version.Id)
        {
            return;
        }
        var reason = CandidateGate.Reason(image, version, overrideReason, "made current");
        var before = image.Versions.FirstOrDefault(v => v.Id == image.CurrentVersionId)?.Number;
        var canaryEnded = image.CanaryVersionId is { } canary
            ? $"; the canary of v{image.Versions.FirstOrDefault(v => v.Id == canary)?.Number} ended: its group boots the current version again" : "";
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
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, reason is null ? AuditActions.CurrentVersionChanged : AuditActions.CandidateForced, "image",
            image.Id.ToString(CultureInfo.InvariantCulture), $"current=v{before}",
            (reason is null ? $"current=v{version.Number}" : $"current=v{version.Number} despite its failed test boot, because: {reason}") + canaryEnded), cancellationToken);
        notifier.ImageChanged(image.Id);
    }
}
