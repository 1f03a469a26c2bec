using GGnet.Core.Domain.Images;
using GGnet.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace GGnet.Infrastructure.Lab;

/// <summary>The lab's own images (demo disk, real OS) as ordinary images: a raw file in version 1, current and ready.</summary>
public static class LabImageRecords
{
    /// <summary>The image's id when it has a current version; null when it is not registered yet.</summary>
    public static async Task<int?> FindReadyAsync(GGnetDbContext db, string name, CancellationToken cancellationToken) =>
        await db.Images.Where(i => i.Name == name && i.CurrentVersionId != null).Select(i => (int?)i.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Registers <paramref name="path"/> as the image's first version and makes it current; returns the image id.</summary>
    /// <param name="firmwareOnly">The image's system never logs in to its disk itself (see <see cref="Image.FirmwareOnly"/>).</param>
    public static async Task<int> RegisterAsync(GGnetDbContext db, string name, string description, string path, string nodeKey, DateTime now, bool firmwareOnly,
        CancellationToken cancellationToken)
    {
        var image = await db.Images.FirstOrDefaultAsync(i => i.Name == name, cancellationToken);
        if (image is not null && firmwareOnly && !image.FirmwareOnly)
        {
            // Registered before images said so.
            image.MarkFirmwareOnly();
            await db.SaveChangesAsync(cancellationToken);
        }
        if (image is { CurrentVersionId: not null })
        {
            return image.Id;
        }
        image ??= db.Images.Add(new Image(name, description, nodeKey, now)).Entity;
        if (firmwareOnly)
        {
            image.MarkFirmwareOnly();
        }
        await db.SaveChangesAsync(cancellationToken);
        var version = new ImageVersion(image.Id, 1, DiskFormat.Raw, new FileInfo(path).Length, path, now);
        version.MarkReady();
        db.ImageVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        image.MakeCurrent(version);
        await db.SaveChangesAsync(cancellationToken);
        return image.Id;
    }
}
