using System.Globalization;
using System.Security.Cryptography;
using CliWrap;
using CliWrap.Buffered;
using GGnet.Core.Domain;
using GGnet.Core.Domain.Images;
using GGnet.Core.Iscsi;
using GGnet.Core.Storage;
using GGnet.Infrastructure.Storage;
using GGnet.Tests.Support;

namespace GGnet.Tests.Infrastructure.Storage;

/// <summary>
/// qcow2-overlay session disks with the real programs: qemu-img makes the overlay, qemu-storage-daemon serves it over
/// FUSE, a real tgtd exports that file, and libiscsi (qemu's iscsi:// driver and iscsi-readcapacity16) reads it back.
/// </summary>
public sealed class OverlayDiskTests : IAsyncLifetime
{
    private const int ImageBytes = 8 << 20;
    private readonly TempDirectory _folder = new();
    private readonly byte[] _imageData = RandomNumberGenerator.GetBytes(ImageBytes);
    private SessionDiskCloner _disks = null!;
    private FuseExports _exports = null!;
    private string _image = null!;

    public async Task InitializeAsync()
    {
        (_, _disks) = SessionDisksFor.Create(Path.Combine(_folder.Path, "disks"), Path.Combine(_folder.Path, "images"), "Overlay", out _exports);
        _image = Path.Combine(_folder.Path, "images", "image-1-v1.img");
        Directory.CreateDirectory(Path.GetDirectoryName(_image)!);
        await File.WriteAllBytesAsync(_image, _imageData);
    }

    [Fact]
    public async Task Overlay_IsServedAsThePlainImage_WritesStayInTheOverlay_AndDeleteStopsItsDaemon()
    {
        var disk = _disks.PathFor(1);
        await _disks.CloneAsync(new DiskFile(_image, DiskFormat.Raw), disk, CancellationToken.None);

        var serving = await _disks.ServeAsync(disk, CancellationToken.None);
        var pid = DaemonPid(disk);
        var served = await File.ReadAllBytesAsync(disk);
        await using (var pc = new FileStream(disk, FileMode.Open, FileAccess.Write))
        {
            pc.Position = 1 << 20;
            await pc.WriteAsync(new byte[1 << 20].Select(_ => (byte)0x5a).ToArray());
        }
        var own = await _disks.OwnBytesAsync(disk, CancellationToken.None);
        await _disks.DeleteAsync(disk, CancellationToken.None);

        Assert.Equal(DiskServing.Started, serving);
        Assert.Equal(_imageData, served);
        Assert.InRange(own, 1 << 20, 2 << 20);
        Assert.Equal(_imageData, await File.ReadAllBytesAsync(_image));
        Assert.False(MountInfo.IsMounted(disk));
        Assert.False(File.Exists(disk));
        Assert.False(File.Exists(OverlayDiskCloner.OverlayOf(disk)));
        await Eventually.HoldsAsync(() => !IsAlive(pid), "not within 10 seconds", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Overlay_ServedByARealTgtd_ReadsBackAndWritesOverIscsi()
    {
        await using var tgtd = await TgtDaemon.StartAsync();
        var backend = tgtd.Backend();
        var initiator = Iqn.Parse("iqn.2024-01.net.ggnet:initiator.525400000001");
        var target = Iqn.Parse("iqn.2024-01.net.ggnet:session.2");
        var disk = _disks.PathFor(2);
        await _disks.CloneAsync(new DiskFile(_image, DiskFormat.Raw), disk, CancellationToken.None);
        await _disks.ServeAsync(disk, CancellationToken.None);
        try
        {
            await backend.CreateTargetAsync(new IscsiTargetSpec(target, disk, initiator, null), CancellationToken.None);
            var url = $"iscsi://127.0.0.1:{tgtd.IscsiPort.ToString(CultureInfo.InvariantCulture)}/{target.Value}/1";

            var capacity = await Run("iscsi-readcapacity16", "-i", initiator.Value, url);
            var readBack = Path.Combine(_folder.Path, "read-back.raw");
            await Run("qemu-img", "convert", "-O", "raw", "--image-opts",
                $"driver=iscsi,transport=tcp,portal=127.0.0.1:{tgtd.IscsiPort.ToString(CultureInfo.InvariantCulture)},target={target.Value},lun=1,initiator-name={initiator.Value}", readBack);
            await Run("qemu-io", "--image-opts", "-c", "write -P 0x5a 0 64k",
                $"driver=iscsi,transport=tcp,portal=127.0.0.1:{tgtd.IscsiPort.ToString(CultureInfo.InvariantCulture)},target={target.Value},lun=1,initiator-name={initiator.Value}");
            await backend.DeleteTargetAsync(target, CancellationToken.None);
            var afterWrite = await File.ReadAllBytesAsync(disk);

            // The last block's address, in 512-byte blocks: the target serves the image's whole virtual size.
            Assert.Contains($"RETURNEDLOGICALBLOCKADDRESS:{(ImageBytes / 512) - 1}", capacity.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Equal(_imageData, await File.ReadAllBytesAsync(readBack));
            Assert.All(afterWrite[..(64 << 10)], b => Assert.Equal(0x5a, b));
            Assert.Equal(_imageData[(64 << 10)..], afterWrite[(64 << 10)..]);
            Assert.Equal(_imageData, await File.ReadAllBytesAsync(_image));
        }
        finally
        {
            await _disks.DeleteAsync(disk, CancellationToken.None);
        }
    }

    [Fact]
    public async Task KilledDaemon_IsNoticed_AndServingAgainRestartsItOnTheSameData()
    {
        var disk = await ServedDiskWrittenAsync(3, 0x33);
        try
        {
            await Cli.Wrap("kill").WithArguments(["-KILL", DaemonPid(disk)]).ExecuteAsync();
            await Eventually.HoldsAsync(() => _exports.TakeDead().Contains(disk), "not within 10 seconds", TimeSpan.FromSeconds(10));

            var again = await _disks.ServeAsync(disk, CancellationToken.None);
            var data = await File.ReadAllBytesAsync(disk);

            Assert.Equal(DiskServing.Started, again);
            Assert.Equal(DiskServing.AlreadyServed, await _disks.ServeAsync(disk, CancellationToken.None));
            Assert.All(data[..4096], b => Assert.Equal(0x33, b));
            Assert.Equal(_imageData[4096..], data[4096..]);
        }
        finally
        {
            await _disks.DeleteAsync(disk, CancellationToken.None);
        }
    }

    [Fact]
    public async Task ReleasedOverlay_KeepsItsData_AndIsReusedByAnotherSession()
    {
        var kept = await ServedDiskWrittenAsync(4, 0x77);
        await _disks.ReleaseAsync(kept, CancellationToken.None);
        var data = await _disks.DataOfAsync(kept, CancellationToken.None);
        var info = (await Cli.Wrap("qemu-img").WithArguments(["info", "--output=json", data.Path]).ExecuteBufferedAsync()).StandardOutput;

        var next = _disks.PathFor(5);
        await _disks.ReuseAsync(kept, next, CancellationToken.None);
        await _disks.ServeAsync(next, CancellationToken.None);
        try
        {
            Assert.False(MountInfo.IsMounted(kept));
            Assert.Equal(new DiskFile(OverlayDiskCloner.OverlayOf(kept), DiskFormat.Qcow2), data);
            Assert.Contains(_image, info, StringComparison.Ordinal);
            Assert.All((await File.ReadAllBytesAsync(next))[..4096], b => Assert.Equal(0x77, b));
            Assert.Equal([next], await _disks.ListAsync(CancellationToken.None));
        }
        finally
        {
            await _disks.DeleteAsync(next, CancellationToken.None);
        }
    }

    // A session's overlay, served, whose first 4 KiB the PC overwrote with one byte value.
    private async Task<string> ServedDiskWrittenAsync(int sessionId, byte value)
    {
        var disk = _disks.PathFor(sessionId);
        await _disks.CloneAsync(new DiskFile(_image, DiskFormat.Raw), disk, CancellationToken.None);
        await _disks.ServeAsync(disk, CancellationToken.None);
        await using var pc = new FileStream(disk, FileMode.Open, FileAccess.Write);
        await pc.WriteAsync(Enumerable.Repeat(value, 4096).ToArray());
        return disk;
    }

    private static string DaemonPid(string disk) =>
        File.ReadAllText(Path.Combine(Path.GetDirectoryName(disk)!, ".exports", Path.GetFileName(disk) + ".pid")).Trim();

    // Gone, or a zombie waiting for init to reap it: no longer running either way.
    private static bool IsAlive(string pid)
    {
        try
        {
            return !File.ReadAllLines($"/proc/{pid}/status").Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains('Z', StringComparison.Ordinal));
        }
        catch (Exception gone) when (gone is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    private static async Task<string> Run(string program, params string[] arguments)
    {
        var result = await Cli.Wrap(program).WithArguments(arguments).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"{program} failed: {result.StandardError}{result.StandardOutput}");
        return result.StandardOutput;
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}
