using GGnet.Infrastructure.Images;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Support;

/// <summary>The real session-disk pieces (pool, cloners, FUSE exports) on given folders, without the app.</summary>
public static class SessionDisksFor
{
    private static readonly ExternalCommand Commands = new(NullLogger<ExternalCommand>.Instance);

    public static (DiskDirectoryPool Pool, SessionDiskCloner Cloner) Create(string disks, string images, string strategy = "Auto") =>
        Create(disks, images, strategy, out _);

    public static (DiskDirectoryPool Pool, SessionDiskCloner Cloner) Create(string disks, string images, string strategy, out FuseExports exports)
    {
        var storage = Options.Create(new StorageOptions { DiskDirectory = disks, ImageDirectory = images, CloneStrategy = strategy });
        var database = Options.Create(new DatabaseOptions { DataDirectory = Path.GetDirectoryName(disks)! });
        exports = new FuseExports(Commands, NullLogger<FuseExports>.Instance);
        var pool = new DiskDirectoryPool(storage, database, Commands, exports);
        var folder = new SessionDiskFolder(storage, database, Commands);
        var qemuImg = new QemuImg(Commands, storage, NullLogger<QemuImg>.Instance);
        var files = new CopyDiskCloner(Commands, pool, qemuImg, folder, NullLogger<CopyDiskCloner>.Instance);
        var overlays = new OverlayDiskCloner(Commands, exports, folder);
        return (pool, new SessionDiskCloner(pool, files, overlays, folder));
    }
}
