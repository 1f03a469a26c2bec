using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Core.Domain.Images;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Files;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.Storage;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace GGnet.Tests.Infrastructure.Storage;

/// <summary>Session disks on real filesystems: XFS with reflink=1 (loop-mounted by the test) and ext4/tmpfs.</summary>
public sealed class CloneStrategyTests
{
    private static readonly ExternalCommand Commands = new(NullLogger<ExternalCommand>.Instance);

    [Fact]
    public async Task OnXfsWithReflink_ClonesShareTheImagesBlocks_UseNoSpace_AndWritesLeaveTheImageAlone()
    {
        await using var xfs = await XfsLoopFilesystem.CreateAsync();
        var (pool, cloner) = Storage(Path.Combine(xfs.MountPoint, "disks"), Path.Combine(xfs.MountPoint, "images"));
        var golden = Path.Combine(xfs.MountPoint, "images", "image-1-v1.img");
        Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
        var data = new byte[64 << 20];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(golden, data);
        var goldenHash = SHA256.HashData(data);
        var freeBefore = new DriveInfo(xfs.MountPoint).AvailableFreeSpace;

        var strategy = await pool.StrategyAsync(CancellationToken.None);
        var clone = cloner.PathFor(7);
        await cloner.CloneAsync(new DiskFile(golden, DiskFormat.Raw), clone, CancellationToken.None);
        var freeAfterClone = new DriveInfo(xfs.MountPoint).AvailableFreeSpace;
        var extents = (await Cli.Wrap("filefrag").WithArguments(["-v", clone]).ExecuteBufferedAsync()).StandardOutput;
        await using (var pc = new FileStream(clone, FileMode.Open, FileAccess.Write))
        {
            await pc.WriteAsync(new byte[1 << 20]);
        }

        Assert.Equal(CloneStrategy.Reflink, strategy.Strategy);
        Assert.Contains("reflink", strategy.Reason, StringComparison.Ordinal);
        Assert.Contains("shared", extents, StringComparison.Ordinal);
        Assert.True(freeBefore - freeAfterClone < 1 << 20, $"the clone took {(freeBefore - freeAfterClone) >> 20} MiB");
        Assert.Equal(goldenHash, SHA256.HashData(await File.ReadAllBytesAsync(golden)));
        Assert.InRange(await cloner.OwnBytesAsync(clone, CancellationToken.None), 1 << 20, 2 << 20);
        Assert.NotEqual(goldenHash, SHA256.HashData(await File.ReadAllBytesAsync(clone)));
    }

    [Fact]
    public async Task AReflinkClone_KeepsTheImagesPermissions_SoNoOtherUserReadsAPcsDisk()
    {
        await using var xfs = await XfsLoopFilesystem.CreateAsync();
        var (_, cloner) = Storage(Path.Combine(xfs.MountPoint, "disks"), Path.Combine(xfs.MountPoint, "images"));
        var golden = Path.Combine(xfs.MountPoint, "images", "image-1-v1.img");
        Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
        await File.WriteAllBytesAsync(golden, new byte[1 << 20]);
        File.SetUnixFileMode(golden, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await cloner.CloneAsync(new DiskFile(golden, DiskFormat.Raw), cloner.PathFor(9), CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cloner.PathFor(9)));
    }

    [Fact]
    public async Task AnImageOutsideTheReflinkFilesystem_IsCopied_AndTheSessionDiskHoldsItsBytes()
    {
        await using var xfs = await XfsLoopFilesystem.CreateAsync();
        using var elsewhere = new TempDirectory();
        var (pool, cloner) = Storage(Path.Combine(xfs.MountPoint, "disks"), Path.Combine(xfs.MountPoint, "images"));
        var golden = Path.Combine(elsewhere.Path, "registered.img");
        var data = new byte[4 << 20];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(golden, data);

        await cloner.CloneAsync(new DiskFile(golden, DiskFormat.Raw), cloner.PathFor(8), CancellationToken.None);

        Assert.Equal(CloneStrategy.Reflink, (await pool.StrategyAsync(CancellationToken.None)).Strategy);
        Assert.Equal(data, await File.ReadAllBytesAsync(cloner.PathFor(8)));
    }

    [Fact]
    public async Task WithoutReflink_AutoChoosesQcow2Overlays_AndSaysWhy()
    {
        using var folder = new TempDirectory();
        var (pool, _) = Storage(Path.Combine(folder.Path, "disks"), Path.Combine(folder.Path, "images"));

        var strategy = await pool.StrategyAsync(CancellationToken.None);

        Assert.Equal(CloneStrategy.Overlay, strategy.Strategy);
        Assert.Contains("can't reflink", strategy.Reason, StringComparison.Ordinal);
        Assert.Contains("qemu-storage-daemon", strategy.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "disks"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(folder.Path, "images")));
    }

    [Fact]
    public async Task CopyConfigured_SessionDisksAreFullCopiesWithProgress_AndTheReasonSaysSo()
    {
        using var folder = new TempDirectory();
        var (pool, cloner) = Storage(Path.Combine(folder.Path, "disks"), Path.Combine(folder.Path, "images"), "Copy");
        var golden = Path.Combine(folder.Path, "images", "image-1-v1.img");
        Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
        var data = new byte[4 << 20];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(golden, data);

        var strategy = await pool.StrategyAsync(CancellationToken.None);
        var reports = new List<double>();
        await cloner.CloneAsync(new DiskFile(golden, DiskFormat.Raw), cloner.PathFor(3), CancellationToken.None, new Collect(reports));

        Assert.Equal(CloneStrategy.Copy, strategy.Strategy);
        Assert.Equal(100, reports[^1]);
        Assert.Contains("full copy", strategy.Reason, StringComparison.Ordinal);
        Assert.Equal(data, await File.ReadAllBytesAsync(cloner.PathFor(3)));
        Assert.Equal(DiskServing.AlreadyServed, await cloner.ServeAsync(cloner.PathFor(3), CancellationToken.None));
    }

    [Fact]
    public async Task CopyConfigured_AQcow2Version_BecomesARawSessionDisk()
    {
        using var folder = new TempDirectory();
        var (_, cloner) = Storage(Path.Combine(folder.Path, "disks"), Path.Combine(folder.Path, "images"), "Copy");
        var raw = Path.Combine(folder.Path, "data.raw");
        var data = new byte[2 << 20];
        Random.Shared.NextBytes(data);
        await File.WriteAllBytesAsync(raw, data);
        var version = Path.Combine(folder.Path, "images", "image-1-v2.qcow2");
        Directory.CreateDirectory(Path.GetDirectoryName(version)!);
        await Cli.Wrap("qemu-img").WithArguments(["convert", "-f", "raw", "-O", "qcow2", raw, version]).ExecuteAsync();

        await cloner.CloneAsync(new DiskFile(version, DiskFormat.Qcow2), cloner.PathFor(4), CancellationToken.None);

        Assert.Equal(data, await File.ReadAllBytesAsync(cloner.PathFor(4)));
    }

    private sealed class Collect(List<double> reports) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }

    private static (DiskDirectoryPool Pool, SessionDiskCloner Cloner) Storage(string disks, string images, string strategy = "Auto") =>
        SessionDisksFor.Create(disks, images, strategy);
}

public sealed class FileOwnBytesTests
{
    [Fact]
    public async Task AFileJustWritten_OwnsWhatWasWritten_AndAHoleOwnsNothing()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, "session-7.img");
        await using (var disk = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            disk.SetLength(64L << 20);
            disk.Position = 8L << 20;
            // Not flushed to disk: the count writes the file's dirty pages first, as a running PC leaves them.
            await disk.WriteAsync(Enumerable.Repeat((byte)0x5a, 1 << 20).ToArray());
        }

        Assert.Equal(1L << 20, FileOwnBytes.Of(path));
    }

    [Fact]
    public void AFileGoneMeanwhile_OwnsNothing()
    {
        using var folder = new TempDirectory();

        Assert.Equal(0L, FileOwnBytes.Of(Path.Combine(folder.Path, "session-8.img")));
    }

    [Fact]
    public void AFilesystemWithNoExtentMap_SaysSo()
    {
        // /dev/shm is tmpfs on every Linux.
        var path = Path.Combine("/dev/shm", $"ggnet-extents-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, new byte[4096]);
        try
        {
            Assert.Null(FileOwnBytes.Of(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
