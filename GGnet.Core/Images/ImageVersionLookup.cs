using GGnet.Core.Domain.Images;
using GGnet.Core.Errors;
using GGnet.Core.Ports;

namespace GGnet.Core.Images;

/// <summary>An image and one of its versions, as a request names them; a sentence when either is not there.</summary>
internal static class ImageVersionLookup
{
    public static async Task<(Image Image, ImageVersion Version)> FindAsync(IImageRepository images, int imageId, int versionId, CancellationToken cancellationToken)
    {
        var image = await images.FindAsync(imageId, cancellationToken) ?? throw new NotFoundException($"There is no image with id {imageId}.");
        var version = image.Versions.FirstOrDefault(v => v.Id == versionId) ?? throw new NotFoundException($"Image '{image.Name}' has no version with id {versionId}.");
        return (image, version);
    }

    /// <summary>
    /// A version a bench or a canary's PCs can boot: ready, of an image with an OS of its own that takes its disk over (not a
    /// data image, not the lab's demo disk). <paramref name="otherwise"/> ends the sentence for such an image.
    /// </summary>
    public static void RequireBootsItsOwnOs(Image image, ImageVersion version, string otherwise)
    {
        if (image.IsData || image.FirmwareOnly)
        {
            throw new ConflictException($"'{image.Name}' has no OS of its own to take its disk over ({(image.IsData ? "a data image" : "the lab's demo disk")}): {otherwise}");
        }
        if (version.Status != ImageStatus.Ready)
        {
            throw new ConflictException($"{ImageVersion.Label(image.Name, version.Number)} is {version.Status.ToString().ToLowerInvariant()}, not ready: it can't be booted.");
        }
    }
}
