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
}
