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
    public const int MaxReasonLength = 500;

    public async Task ExecuteAsync(int imageId, int versionId, string actor, CancellationToken cancellationToken, string? overrideReason = null)
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
        var reason = Reason(image, version, overrideReason);
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
        await audit.WriteAsync(new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, reason is null ? AuditActions.ImageRolledBack : AuditActions.CandidateForced, "image",
            image.Id.ToString(CultureInfo.InvariantCulture), $"current=v{before}",
            reason is null ? $"current=v{version.Number}" : $"current=v{version.Number} despite its failed test boot, because: {reason}"), cancellationToken);
        notifier.ImageChanged(image.Id);
    }

    // Null when the version may simply be made current; the admin's reason (checked) when it failed its test boot.
    private static string? Reason(Image image, ImageVersion version, string? overrideReason)
    {
        var label = ImageVersion.Label(image.Name, version.Number);
        if (version.TrialRunning)
        {
            throw new ConflictException($"{label} is still in its test boot. It can be made current once it passed (a minute or two; the Images page shows it).");
        }
        if (version.Trial != TrialState.Failed)
        {
            return null;
        }
        var reason = overrideReason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new ConflictException($"{label} failed its test boot: {version.TrialSentence} Make it current anyway only with a reason (it is kept in the audit log), " +
                "or test it again.");
        }
        if (reason.Length > MaxReasonLength || reason.Any(char.IsControl))
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["overrideReason"] = [$"The reason must be one line of at most {MaxReasonLength} characters."],
            });
        }
        return reason;
    }
}
