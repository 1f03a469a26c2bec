using System.Globalization;
using GGnet.Core.Domain.Images;
using GGnet.Core.Ports;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.Options;
using IOPath = System.IO.Path;

namespace GGnet.Infrastructure.Images;

/// <summary>The image folder: one file per image version, named after the image and the version's number.</summary>
public sealed class ImageFolder(IOptions<StorageOptions> storage, IOptions<DatabaseOptions> database) : IImageFolder
{
    public string Path => storage.Value.ImageFolder(database.Value.DataDirectory);

    public string PathForVersion(int imageId, int number, DiskFormat format) =>
        IOPath.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"image-{imageId}-v{number}.{(format == DiskFormat.Qcow2 ? "qcow2" : "img")}"));

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(path);
        File.Delete(path + ".partial");
        return Task.CompletedTask;
    }

    public Task AdoptAsync(string sessionDisk, string versionPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(IOPath.GetDirectoryName(versionPath)!);
        File.Move(sessionDisk, versionPath, overwrite: false);
        return Task.CompletedTask;
    }
}
