using System.Globalization;
using GGnet.Core.Audit;
using GGnet.Core.Domain.Audit;
using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>Sets how much each session of an image may write (null: no quota); running sessions are measured against it from now on.</summary>
public sealed class SetSessionQuota(IImageRepository images, IStatusNotifier notifier, TimeProvider clock)
{
    public const int MaxGiB = 1 << 20;

    public async Task<Image> ExecuteAsync(int imageId, int? quotaGiB, string actor, CancellationToken cancellationToken)
    {
        if (quotaGiB is < 1 or > MaxGiB)
        {
            throw new InvalidInputException(new Dictionary<string, string[]>
            {
                ["quotaGiB"] = [$"A session's write quota is 1 to {MaxGiB} GiB; leave it empty for none."],
            });
        }
        var image = await images.FindAsync(imageId, cancellationToken) ?? throw new NotFoundException($"There is no image with id {imageId}.");
        var before = QuotaText(image.SessionQuotaBytes);
        image.LimitSessionWrites(quotaGiB is { } gib ? (long)gib << 30 : null);
        await images.SaveSessionQuotaAsync(image, new AuditEvent(clock.GetUtcNow().UtcDateTime, actor, AuditActions.ImageQuotaChanged, "image",
            image.Id.ToString(CultureInfo.InvariantCulture), before, QuotaText(image.SessionQuotaBytes)), cancellationToken);
        notifier.ImageChanged(image.Id);
        return image;
    }

    private static string QuotaText(long? bytes) => bytes is { } quota ? string.Create(CultureInfo.InvariantCulture, $"session-quota={quota >> 30}GiB") : "session-quota=none";
}
