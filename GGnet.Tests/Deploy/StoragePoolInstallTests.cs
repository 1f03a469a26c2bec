using GGnet.Tests.Support;

namespace GGnet.Tests.Deploy;

/// <summary>
/// install.sh --pool: GGnet's storage pool, an XFS filesystem with reflink in a file whose space is reserved, mounted by
/// a systemd unit, holding GGnet's images and session disks; grown by a bigger --pool, never shrunk, removed by --purge.
/// </summary>
[Collection(DeployTests.Name)]
public sealed class StoragePoolInstallTests(InstallFixture fixture)
{
    private const long GiB = 1L << 30;

    [Fact]
    public async Task Pool_IsAReservedXfsWithReflink_ItsUnitsPointGGnetThere_ItGrowsInUse_NeverShrinks_AndPurgeRemovesIt()
    {
        using var folder = new TempDirectory();
        var root = await fixture.InstallAsync(folder.Path, "--pool", "1G");
        var file = $"{root}/var/lib/ggnet/pool.xfs";
        var mount = $"{root}/var/lib/ggnet/pool";
        try
        {
            Assert.Equal(GiB, new FileInfo(file).Length);
            Assert.True(await AllocatedBytesAsync(file) >= GiB, "the pool's space is reserved on the host's disk, not sparse");
            Assert.Equal("600 root:root", await InstallFixture.ModeAndOwner(file));
            Assert.Contains("REFLINK", (await InstallFixture.Run("xfs_db", ["-r", "-c", "version", file])).StandardOutput, StringComparison.Ordinal);
            var unit = Unit.Read($"{root}/etc/systemd/system/var-lib-ggnet-pool.mount");
            Assert.Equal("/var/lib/ggnet/pool.xfs", unit.Single("What"));
            Assert.Equal("/var/lib/ggnet/pool", unit.Single("Where"));
            Assert.Equal("xfs", unit.Single("Type"));
            var dropIn = Unit.Read($"{root}/etc/systemd/system/ggnet.service.d/pool.conf");
            Assert.Equal("/var/lib/ggnet/pool", dropIn.Single("RequiresMountsFor"));
            Assert.Equal(
                ["GGNET__Storage__ImageDirectory=/var/lib/ggnet/pool/images", "GGNET__Storage__DiskDirectory=/var/lib/ggnet/pool/disks"],
                dropIn.Words("Environment"));
            Assert.Equal(["GGNET__Storage__DiskDirectory=/var/lib/ggnet/pool/disks"],
                Unit.Read($"{root}/etc/systemd/system/ggnet-helper.service.d/pool.conf").Words("Environment"));
            await VerifyAsync(root, "var-lib-ggnet-pool.mount");
            await VerifyAsync(root, "ggnet.service");

            // Mounted as its unit mounts it: a session disk there is a reflink clone of its image.
            await InstallFixture.Run("mount", ["-o", "loop,noatime", file, mount]);
            await File.WriteAllBytesAsync($"{mount}/image.img", new byte[4 << 20]);
            await InstallFixture.Run("cp", ["--reflink=always", $"{mount}/image.img", $"{mount}/session-1.img"]);

            var grown = await fixture.InstallAsync(root, "--pool", "2G");
            var shrink = await fixture.TryInstallAsync(root, "--pool", "1G");

            Assert.Equal(2 * GiB, new FileInfo(file).Length);
            Assert.True(new DriveInfo(mount).TotalSize > 19 * GiB / 10, $"the mounted pool has {new DriveInfo(mount).TotalSize} bytes after growing to 2G");
            Assert.True(File.Exists($"{mount}/session-1.img"), "growing kept what the pool held");
            Assert.False(shrink.IsSuccess);
            Assert.Contains("can't shrink", shrink.StandardError, StringComparison.Ordinal);
            Assert.Equal(2 * GiB, new FileInfo(file).Length);

            // An admin's own drop-in (systemctl edit ggnet) is not GGnet's to remove.
            await File.WriteAllTextAsync($"{root}/etc/systemd/system/ggnet.service.d/override.conf", "[Service]\nNice=5\n");
            var purged = await fixture.UninstallAsync(root, "--purge");

            Assert.True(purged.IsSuccess, purged.StandardError);
            Assert.DoesNotContain(mount, await File.ReadAllTextAsync("/proc/mounts"), StringComparison.Ordinal);
            Assert.False(File.Exists(file));
            Assert.False(File.Exists($"{root}/etc/systemd/system/var-lib-ggnet-pool.mount"));
            Assert.False(File.Exists($"{root}/etc/systemd/system/ggnet.service.d/pool.conf"));
            Assert.True(File.Exists($"{root}/etc/systemd/system/ggnet.service.d/override.conf"));
            Assert.False(Directory.Exists($"{root}/etc/systemd/system/ggnet-helper.service.d"));
        }
        finally
        {
            if ((await File.ReadAllTextAsync("/proc/mounts")).Contains(mount, StringComparison.Ordinal))
            {
                await InstallFixture.Run("umount", [mount], check: false);
            }
        }
    }

    [Fact]
    public async Task Pool_AfterTheFirstImage_IsRefusedWithASentence_AndNothingOfItIsMade()
    {
        using var folder = new TempDirectory();
        var root = await fixture.InstallAsync(folder.Path);
        Directory.CreateDirectory($"{root}/var/lib/ggnet/images");
        await File.WriteAllTextAsync($"{root}/var/lib/ggnet/images/golden-1.img", "an image GGnet recorded with this path");

        var refused = await fixture.TryInstallAsync(root, "--pool", "1G");

        Assert.False(refused.IsSuccess);
        Assert.Contains("before the first image is imported", refused.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists($"{root}/var/lib/ggnet/pool.xfs"));
        Assert.False(File.Exists($"{root}/etc/systemd/system/var-lib-ggnet-pool.mount"));
        Assert.True(File.Exists($"{root}/var/lib/ggnet/images/golden-1.img"));
    }

    private static async Task<long> AllocatedBytesAsync(string path) =>
        long.Parse((await InstallFixture.Run("stat", ["-c", "%b", path])).StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture) * 512;

    private static async Task VerifyAsync(string root, string unit)
    {
        var verify = await InstallFixture.VerifyUnitAsync(root, unit);
        Assert.True(verify.IsSuccess, verify.StandardError);
        Assert.Equal("", verify.StandardError.Trim());
    }
}
