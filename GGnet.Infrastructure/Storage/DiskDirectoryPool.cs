using GGnet.Core.Ports;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Persistence;
using GGnet.Infrastructure.Processes;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Storage;

/// <summary>
/// The filesystem of the session disk directory: its fill level as the kernel sees it (statvfs), and whether it can
/// reflink — found out by trying (<c>cp --reflink=always</c> of a probe file from the image folder), not guessed.
/// </summary>
public sealed class DiskDirectoryPool(IOptions<StorageOptions> storage, IOptions<DatabaseOptions> database, ExternalCommand commands) : IStoragePool, IDisposable
{
    private readonly SemaphoreSlim _probeGate = new(1, 1);
    private CloneStrategyChoice? _strategy;

    public string Folder => Path.GetFullPath(string.IsNullOrWhiteSpace(storage.Value.DiskDirectory)
        ? Path.Combine(database.Value.DataDirectory, "disks")
        : storage.Value.DiskDirectory);

    private string ImageFolder => Path.GetFullPath(string.IsNullOrWhiteSpace(storage.Value.ImageDirectory)
        ? Path.Combine(database.Value.DataDirectory, "images")
        : storage.Value.ImageDirectory);

    public Task<StorageUsage> UsageAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        // DriveInfo of a path gives the filesystem that holds it (its mount point).
        var drive = new DriveInfo(Folder);
        return Task.FromResult(new StorageUsage(Folder, drive.TotalSize - drive.TotalFreeSpace, drive.AvailableFreeSpace, storage.Value.WarnAbovePercent, storage.Value.RefuseAbovePercent));
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
        if (string.Equals(configured, nameof(CloneStrategy.Copy), StringComparison.OrdinalIgnoreCase))
        {
            return new CloneStrategyChoice(CloneStrategy.Copy, "Storage:CloneStrategy is Copy: every session disk is a full copy of the image (slow, uses space).");
        }
        var canReflink = await CanReflinkAsync(cancellationToken);
        if (string.Equals(configured, nameof(CloneStrategy.Reflink), StringComparison.OrdinalIgnoreCase) || canReflink)
        {
            return canReflink
                ? new CloneStrategyChoice(CloneStrategy.Reflink, $"{Folder} can reflink from {ImageFolder} (XFS with reflink=1, or btrfs): a session disk is ready in milliseconds and shares the image's blocks.")
                : new CloneStrategyChoice(CloneStrategy.Reflink, $"Storage:CloneStrategy is Reflink, but {Folder} can't reflink from {ImageFolder}: sessions will fail until both are on one XFS (reflink=1) or btrfs filesystem.");
        }
        return new CloneStrategyChoice(CloneStrategy.Copy, $"{Folder} can't reflink from {ImageFolder}, so every session disk is a full copy (slow, uses space). Put both on one XFS (mkfs.xfs -m reflink=1) or btrfs filesystem for instant clones.");
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
            return (await commands.RunAsync("cp", ["--reflink=always", "--", probe, clone], cancellationToken)).Succeeded;
        }
        finally
        {
            File.Delete(probe);
            File.Delete(clone);
        }
    }

    public void Dispose() => _probeGate.Dispose();
}
