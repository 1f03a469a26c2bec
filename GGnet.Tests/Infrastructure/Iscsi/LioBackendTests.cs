using CliWrap;
using CliWrap.Buffered;
using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Iscsi;
using GGnet.Infrastructure.Iscsi;
using GGnet.Infrastructure.Iscsi.Lio;
using GGnet.Infrastructure.Processes;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Iscsi;

public sealed class LioBackendTests : IDisposable
{
    private static readonly IscsiTargetSpec Spec = new(
        Iqn.Parse("iqn.2024-01.net.ggnet:session.7"), "/var/lib/ggnet/disks/7.img", Iqn.Parse("iqn.2024-01.net.ggnet:initiator.525400000007"), null);

    private readonly TempDirectory _directory = new();

    [Fact]
    public void CreateBatch_IsOneScriptWithEveryStepAndSave()
    {
        Assert.Equal(
            """
            /backstores/fileio create name=ggnet-session-7 file_or_dev=/var/lib/ggnet/disks/7.img
            /iscsi create iqn.2024-01.net.ggnet:session.7
            /iscsi/iqn.2024-01.net.ggnet:session.7/tpg1/luns create /backstores/fileio/ggnet-session-7 lun=0
            /iscsi/iqn.2024-01.net.ggnet:session.7/tpg1/acls create iqn.2024-01.net.ggnet:initiator.525400000007
            /iscsi/iqn.2024-01.net.ggnet:session.7/tpg1 set attribute authentication=0
            / saveconfig
            exit

            """.Replace("\r", "", StringComparison.Ordinal),
            LioBatch.Create(Spec));
    }

    [Fact]
    public void Contract_TheDiskLun_IsTheLunTheBatchCreates_Lun0()
    {
        var backend = new LioBackend(new ExternalCommand(NullLogger<ExternalCommand>.Instance), Options.Create(new IscsiOptions()), new LioKernelSupport());

        var batch = LioBatch.Create(Spec);

        Assert.Equal(0, backend.DiskLun);
        Assert.Contains($"/tpg1/luns create /backstores/fileio/ggnet-session-7 lun={backend.DiskLun}\n", batch, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateBatch_WithChap_SetsTheAclsCredentials()
    {
        var batch = LioBatch.Create(Spec with { Chap = new ChapCredentials("pc-07", "s3cretS3cret12") });

        Assert.Contains("/iscsi/iqn.2024-01.net.ggnet:session.7/tpg1 set attribute authentication=1\n", batch, StringComparison.Ordinal);
        Assert.Contains("/iscsi/iqn.2024-01.net.ggnet:session.7/tpg1/acls/iqn.2024-01.net.ggnet:initiator.525400000007 set auth userid=pc-07 password=s3cretS3cret12\n", batch, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateBatch_WithMutualChap_SetsTheTargetsCredentialsToo()
    {
        var batch = LioBatch.Create(Spec with { Chap = new ChapCredentials("pc-07", "s3cretS3cret12", "pc-07-target", "t4rgetS3cret12") });

        Assert.Contains("/acls/iqn.2024-01.net.ggnet:initiator.525400000007 set auth userid=pc-07 password=s3cretS3cret12 mutual_userid=pc-07-target mutual_password=t4rgetS3cret12\n",
            batch, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateBatch_UnsafeChapText_IsRefused() =>
        Assert.Throws<GGnet.Core.Iscsi.IscsiBackendException>(() => LioBatch.Create(Spec with { Chap = new ChapCredentials("pc-07", "a b\n/ delete") }));

    [Fact]
    public void DeleteBatch_RemovesTargetAndBackstores_AndSaves()
    {
        var lines = LioBatch.Delete(Spec.Target.Value).Split('\n');

        Assert.Equal(["/iscsi delete iqn.2024-01.net.ggnet:session.7", "/backstores/fileio delete ggnet-session-7"], lines[..2]);
        Assert.Equal(Enumerable.Range(1, GGnet.Core.Images.DataDisks.MaxPerSession).Select(n => $"/backstores/fileio delete ggnet-session-7-data{n}"),
            lines[2..^4]);
        Assert.Equal(["/backstores/fileio delete ggnet-session-7-iso", "/ saveconfig", "exit", ""], lines[^4..]);
    }

    [Fact]
    public void CreateBatch_WithDataDisks_PutsThemOnLuns1And2_BeforeTheAcl_SoItMapsThemLikeTheDisk()
    {
        var lines = LioBatch.Create(Spec with { DataDiskPaths = ["/var/lib/ggnet/disks/7-data-1.img", "/var/lib/ggnet/disks/7-data-2.img"] }).Split('\n').ToList();
        var acl = lines.IndexOf("/iscsi/iqn.2024-01.net.ggnet:session.7/tpg1/acls create iqn.2024-01.net.ggnet:initiator.525400000007");
        var first = lines.IndexOf("/iscsi/iqn.2024-01.net.ggnet:session.7/tpg1/luns create /backstores/fileio/ggnet-session-7-data1 lun=1");
        var second = lines.IndexOf("/iscsi/iqn.2024-01.net.ggnet:session.7/tpg1/luns create /backstores/fileio/ggnet-session-7-data2 lun=2");

        Assert.Contains("/backstores/fileio create name=ggnet-session-7-data1 file_or_dev=/var/lib/ggnet/disks/7-data-1.img", lines);
        Assert.True(first >= 0 && second > first && acl > second, string.Join('\n', lines));
    }

    [Fact]
    public void CreateBatch_ADataDiskPathWithSpaces_IsRefused() =>
        Assert.Throws<IscsiBackendException>(() => LioBatch.Create(Spec with { DataDiskPaths = ["/var/lib/ggnet/disks/my games.img"] }));

    [Fact]
    public void CreateBatch_ForAnInstall_MapsTheIsoOnLun1_WriteProtected_AfterTheAcl()
    {
        var lines = LioBatch.Create(Spec with { InstallMediumPath = "/var/lib/ggnet/import/win11.iso" }).Split('\n').ToList();
        var acl = lines.IndexOf("/iscsi/iqn.2024-01.net.ggnet:session.7/tpg1/acls create iqn.2024-01.net.ggnet:initiator.525400000007");
        var lun = lines.IndexOf("/iscsi/iqn.2024-01.net.ggnet:session.7/tpg1/luns create /backstores/fileio/ggnet-session-7-iso lun=1 add_mapped_luns=false");
        var mapped = lines.IndexOf("/iscsi/iqn.2024-01.net.ggnet:session.7/tpg1/acls/iqn.2024-01.net.ggnet:initiator.525400000007 create mapped_lun=1 tpg_lun_or_backstore=1 write_protect=true");

        Assert.Contains("/backstores/fileio create name=ggnet-session-7-iso file_or_dev=/var/lib/ggnet/import/win11.iso", lines);
        Assert.True(acl >= 0 && lun > acl && mapped > lun, string.Join('\n', lines));
        Assert.Equal(1, LioBatch.MediumLun);
    }

    [Fact]
    public void CreateBatch_AnIsoPathWithSpaces_IsRefused() =>
        Assert.Throws<GGnet.Core.Iscsi.IscsiBackendException>(() => LioBatch.Create(Spec with { InstallMediumPath = "/var/lib/ggnet/import/win 11.iso" }));

    [Theory]
    [InlineData("/var/lib/ggnet/disks/my disk.img")]
    [InlineData("/var/lib/x=1.img")]
    [InlineData("relative/7.img")]
    public void CreateBatch_PathTargetcliWouldSplit_IsRefused(string path)
    {
        Assert.Throws<IscsiBackendException>(() => LioBatch.Create(Spec with { LunPath = path }));
    }

    [Fact]
    public void KernelSupport_WithConfigfsAndTargetDirectory_IsAvailable()
    {
        var filesystems = Path.Combine(_directory.Path, "filesystems");
        File.WriteAllText(filesystems, "nodev\tsysfs\nnodev\tconfigfs\n");
        Directory.CreateDirectory(Path.Combine(_directory.Path, "target"));

        Assert.True(new LioKernelSupport(filesystems, Path.Combine(_directory.Path, "target")).Check().Available);
    }

    [Fact]
    public void KernelSupport_ForTheServicesUser_SaysLioNeedsRoot_EvenWithConfigfs()
    {
        var filesystems = Path.Combine(_directory.Path, "filesystems");
        File.WriteAllText(filesystems, "nodev\tconfigfs\n");
        Directory.CreateDirectory(Path.Combine(_directory.Path, "target"));

        var check = new LioKernelSupport(filesystems, Path.Combine(_directory.Path, "target"), asRoot: false).Check();

        Assert.False(check.Available);
        Assert.StartsWith("LIO needs GGnet to run as root", check.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KernelCheck_AgreesWithTheRealTargetcli_AndWithoutLioSaysSoInOneSentence()
    {
        var backend = new LioBackend(new ExternalCommand(NullLogger<ExternalCommand>.Instance), Options.Create(new IscsiOptions()), new LioKernelSupport());

        var availability = await backend.CheckAsync(CancellationToken.None);
        var targetcli = await Cli.Wrap("/usr/bin/targetcli").WithArguments(["ls"]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

        if (availability.Available)
        {
            Assert.Equal(0, targetcli.ExitCode);
            return;
        }
        // This kernel (no configfs/LIO): targetcli itself fails, and GGnet explains it before ever running it.
        var create = await Assert.ThrowsAsync<IscsiBackendException>(() => backend.CreateTargetAsync(Spec, CancellationToken.None));
        Assert.Contains("No such file or directory", targetcli.StandardOutput + targetcli.StandardError, StringComparison.Ordinal);
        Assert.StartsWith("LIO can't work on this server", availability.Explanation, StringComparison.Ordinal);
        Assert.Contains("Choose the tgt backend", availability.Explanation, StringComparison.Ordinal);
        Assert.Equal(availability.Explanation, create.Message);
    }

    public void Dispose() => _directory.Dispose();
}
