using GGnet.Core.Ports;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Storage;

/// <summary>The filesystem of the session disk directory, measured as the kernel sees it (statvfs).</summary>
public sealed class DiskDirectoryPool(IOptions<StorageOptions> storage, IOptions<DatabaseOptions> database) : IStoragePool
{
    public string Folder => Path.GetFullPath(string.IsNullOrWhiteSpace(storage.Value.DiskDirectory)
        ? Path.Combine(database.Value.DataDirectory, "disks")
        : storage.Value.DiskDirectory);

    public Task<StorageUsage> UsageAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        // DriveInfo of a path gives the filesystem that holds it (its mount point).
        var drive = new DriveInfo(Folder);
        return Task.FromResult(new StorageUsage(Folder, drive.TotalSize, drive.AvailableFreeSpace, storage.Value.WarnAbovePercent, storage.Value.RefuseAbovePercent));
    }
}
