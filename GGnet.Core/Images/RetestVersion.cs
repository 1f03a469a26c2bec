using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Nodes;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>
/// Queues a version's test boot again: a candidate that failed for a reason since fixed (the bench, the network), or any ready
/// version of a system image, to measure it (the current one's time is what candidates are compared with).
/// </summary>
public sealed class RetestVersion(IImageRepository images, IImageJobs jobs, IStatusNotifier notifier, LocalNode local, TimeProvider clock)
{
    public async Task ExecuteAsync(int imageId, int versionId, string actor, CancellationToken cancellationToken)
    {
        var (image, version) = await ImageVersionLookup.FindAsync(images, imageId, versionId, cancellationToken);
        var label = ImageVersion.Label(image.Name, version.Number);
        ImageVersionLookup.RequireBootsItsOwnOs(image, version, "there is nothing to test-boot.");
        if (version.TrialRunning)
        {
            throw new ConflictException($"{label} is in its test boot already.");
        }
        Nodes.StoredHere.Require(local, image.NodeName, $"Image '{image.Name}'");
        version.AwaitTrial();
        await images.SaveVersionAsync(version, new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.TestBootQueued, "image",
            image.Id.ToString(CultureInfo.InvariantCulture), null, $"{label}: test boot queued"), cancellationToken);
        jobs.EnqueueTrial(version.Id, local.Key);
        notifier.ImageChanged(image.Id);
    }
}
