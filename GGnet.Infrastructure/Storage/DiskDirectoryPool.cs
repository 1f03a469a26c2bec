using GGnet.Core.Ports;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// The filesystem of the session disk directory: its fill level as the kernel sees it (statvfs), and how session disks
/// are made there — found out by trying, not guessed: a reflink (<see cref="Files.FileClone"/> of a probe file from the
/// image folder), else a qcow2 overlay served over FUSE (a probe overlay exported and read), else a full copy.
/// </summary>
public sealed class DiskDirectoryPool(IOptions<StorageOptions> storage, IOptions<DatabaseOptions> database, ExternalCommand commands, FuseExports exports) : IStoragePool, IDisposable
{
    private readonly SemaphoreSlim _probeGate = new(1, 1);
    private CloneStrategyChoice? _strategy;

    public string Folder => storage.Value.DiskFolder(database.Value.DataDirectory);

    private string ImageFolder => storage.Value.ImageFolder(database.Value.DataDirectory);

    public Task<StorageUsage> UsageAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        // DriveInfo of a path gives the filesystem that holds it (its mount point).
        var drive = new DriveInfo(Folder);
        return Task.FromResult(new StorageUsage(Folder, drive.TotalSize - drive.TotalFreeSpace, drive.AvailableFreeSpace, storage.Value.WarnAbovePercent, storage.Value.RefuseAbovePercent,
            (long)storage.Value.AdmissionReserveGiB << 30));
    }

    public async Task<CloneStrategyChoice> StrategyAsync(CancellationToken cancellationToken)
    {
        if (_strategy is { } known)
        {
            return known;
        }
        await _probeGate.WaitAsync(cancellationToken);
        try
        {
            return _strategy ??= await ChooseAsync(cancellationToken);
        }
        finally
        {
            _probeGate.Release();
        }
    }

    private async Task<CloneStrategyChoice> ChooseAsync(CancellationToken cancellationToken)
    {
        var configured = storage.Value.CloneStrategy;
        bool Is(CloneStrategy strategy) => string.Equals(configured, strategy.ToString(), StringComparison.OrdinalIgnoreCase);
        if (Is(CloneStrategy.Copy))
        {
            return new CloneStrategyChoice(CloneStrategy.Copy, "Storage:CloneStrategy is Copy: every session disk is a full copy of the image (slow, uses space).");
        }
        if (Is(CloneStrategy.Overlay))
        {
            return await OverlayProblemAsync(cancellationToken) is { } problem
                ? new CloneStrategyChoice(CloneStrategy.Overlay, $"Storage:CloneStrategy is Overlay, but {problem}: sessions will fail until that is fixed.")
                : new CloneStrategyChoice(CloneStrategy.Overlay, OverlayReason("Storage:CloneStrategy is Overlay"));
        }
        var canReflink = await CanReflinkAsync(cancellationToken);
        if (Is(CloneStrategy.Reflink) || canReflink)
        {
            return canReflink
                ? new CloneStrategyChoice(CloneStrategy.Reflink, $"{Folder} can reflink from {ImageFolder} (XFS with reflink=1, or btrfs): " +
                    "a session disk is ready in milliseconds and shares the image's blocks.")
                : new CloneStrategyChoice(CloneStrategy.Reflink, $"Storage:CloneStrategy is Reflink, but {Folder} can't reflink from {ImageFolder}: " +
                    "sessions will fail until both are on one XFS (reflink=1) or btrfs filesystem.");
        }
        if (await OverlayProblemAsync(cancellationToken) is not { } overlayProblem)
        {
            return new CloneStrategyChoice(CloneStrategy.Overlay, OverlayReason($"{Folder} can't reflink from {ImageFolder}"));
        }
        return new CloneStrategyChoice(CloneStrategy.Copy, $"{Folder} can't reflink from {ImageFolder}, " +
            $"and qcow2 overlays can't be served here ({overlayProblem}), so every session disk is a full copy (slow, uses space). " +
            "Put both folders on one XFS (mkfs.xfs -m reflink=1) or btrfs filesystem for instant clones. " + PoolAdvice);
    }

    private static string OverlayReason(string why) =>
        $"{why}: each session disk is a qcow2 overlay on the image, made in milliseconds " +
        "and served to the iSCSI target by its own qemu-storage-daemon (FUSE). Only what a PC writes takes space. " + PoolAdvice;

    // Overlays read at about half of tgt's speed and copies are slow to make (docs/benchmarks.md, dataplane).
    private const string PoolAdvice = "For reflink clones at the disk's own speed on any filesystem, give GGnet its storage pool before the first image: " +
        "sudo bash deploy/install.sh --pool 500G (docs/storage-pool.md).";

    // The real test: an overlay on a small file of the image folder, exported and read back the way sessions will be.
    private async Task<string?> OverlayProblemAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists("/dev/fuse"))
        {
            return "this machine has no /dev/fuse (load the fuse kernel module)";
        }
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(ImageFolder);
        var probe = Path.Combine(ImageFolder, $".overlay-probe-{Guid.NewGuid():N}");
        var disk = Path.Combine(Folder, Path.GetFileName(probe) + ".img");
        try
        {
            await using (var file = File.Create(probe))
            {
                file.SetLength(1 << 20);
            }
            var overlay = OverlayDiskCloner.OverlayOf(disk);
            var created = await commands.RunAsync("qemu-img", ["create", "-q", "-f", "qcow2", "-b", probe, "-F", "raw", overlay], cancellationToken);
            if (!created.Succeeded)
            {
                return $"qemu-img could not make an overlay: {created.Explanation}";
            }
            await exports.EnsureAsync(overlay, disk, cancellationToken);
            return new FileInfo(disk).Length == 1 << 20 ? null : "the exported overlay did not read as its image";
        }
        catch (Exception failed) when (failed is IOException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            return failed.Message;
        }
        finally
        {
            await exports.StopAsync(disk, CancellationToken.None);
            File.Delete(OverlayDiskCloner.OverlayOf(disk));
            File.Delete(disk);
            File.Delete(probe);
        }
    }

    // The real test: clone a small file from the image folder into the disk folder the way sessions will be cloned.
    private async Task<bool> CanReflinkAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(ImageFolder);
        var probe = Path.Combine(ImageFolder, $".reflink-probe-{Guid.NewGuid():N}");
        var clone = Path.Combine(Folder, Path.GetFileName(probe));
        try
        {
            await File.WriteAllBytesAsync(probe, new byte[4096], cancellationToken);
            return Files.FileClone.TryClone(probe, clone) is null;
        }
        finally
        {
            File.Delete(probe);
            File.Delete(clone);
        }
    }

    public void Dispose() => _probeGate.Dispose();
}
