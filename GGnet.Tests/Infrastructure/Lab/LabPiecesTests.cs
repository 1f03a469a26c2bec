using CliWrap;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Lab;
using GGnet.Infrastructure.Processes;
using GGnet.Tests.Support;

namespace GGnet.Tests.Infrastructure.Lab;

public sealed class LabPiecesTests
{
    [Fact]
    public void TgtConnectionListing_GivesSessionAndConnectionIds_AndWhereEachComesFrom()
    {
        const string Listing = """
            Session: 2
                Connection: 0
                    Initiator: iqn.2024-01.net.ggnet:initiator.525400bbe50f
                    IP Address: 10.99.0.101
            Session: 7
                Connection: 1
                    Initiator: iqn.2024-01.net.ggnet:initiator.525400bbe510
                    IP Address: 10.99.0.102
            """;

        Assert.Equal([new("2", "0", "10.99.0.101"), new("7", "1", "10.99.0.102")], TgtConnectionListing.Parse(Listing));
        Assert.Empty(TgtConnectionListing.Parse(""));
    }

    [Fact]
    public void Console_LosesTerminalEscapesAndControlCharacters_KeepsLines()
    {
        var raw = "\u001bc\u001b[2J\u001b[1;1HSeaBIOS (version 1.16)\r\n\u001b[0miPXE \u001b(B\u0007starting\r\n\r\n\r\n\r\nGGnet demo disk\r\n";

        Assert.Equal("SeaBIOS (version 1.16)\niPXE starting\n\nGGnet demo disk\n", SerialConsole.PlainText(raw));
    }

    [Fact]
    public async Task DemoDisk_BootSector_IsWhatNasmMakesOfItsSource_AndTheBannerSitsAtSector2048()
    {
        using var folder = new TempDirectory();
        var assembled = Path.Combine(folder.Path, "boot-sector.bin");
        await Cli.Wrap("nasm").WithArguments(["-f", "bin", "-o", assembled, Path.Combine(AppContext.BaseDirectory, "E2E", "Assets", "boot-sector.asm")]).ExecuteAsync();

        var disk = DemoImage.Disk();

        Assert.Equal(await File.ReadAllBytesAsync(assembled), disk[..512]);
        Assert.Equal(4 << 20, disk.Length);
        Assert.Equal(DemoImage.Banner, System.Text.Encoding.ASCII.GetString(disk, 2048 * 512, DemoImage.Banner.Length));
    }

    [Fact]
    public void LabSettings_PutTheWholeBootPlaneOnTheLabSubnetAndInsideTheNamespace()
    {
        var settings = LabSettings.Overrides(new LabOptions { Namespace = "ggnet-x", SubnetPrefix = "10.98.7", TgtControlPort = 4000 }, "/srv/ggnet");

        Assert.Equal("10.98.7.1", settings["Network:ServerAddress"]);
        Assert.Equal("10.98.7.100", settings["Network:RangeStart"]);
        Assert.Equal("http://10.98.7.1", settings["Network:BootBaseUrl"]);
        Assert.Equal("/srv/ggnet/lab/tftp", settings["Boot:TftpRoot"]);
        Assert.Equal("/srv/ggnet/lab/dhcpd.conf", settings["Dhcp:ConfigPath"]);
        Assert.Equal("ip netns exec ggnet-x /bin/sh /srv/ggnet/lab/restart-dhcpd.sh", settings["Dhcp:RestartCommand"]);
        Assert.Equal("ggnet-x", settings["Iscsi:NetworkNamespace"]);
        Assert.Equal("10.98.7.1", settings["Iscsi:PortalAddress"]);
        Assert.Equal("true", settings["Iscsi:RunOwnTgtd"]);
    }
}

public sealed class BootRequestHeadTests
{
    [Theory]
    [InlineData("GET /boot/boot.ipxe HTTP/1.1\r\nHost: 10.99.0.1\r\n\r\n")]
    [InlineData("HEAD /boot/52-54-00-00-00-01.ipxe HTTP/1.0\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("GET /boot/52-54-00-00-00-01.ipxe?platform=pcbios&arch=i386 HTTP/1.1\r\nUser-Agent: iPXE/1.0.0+\r\n\r\n")]
    [InlineData("GET /boot/52-54-00-00-00-01.ipxe?attach-error=0x410d613c HTTP/1.1\r\n\r\n")]
    public void APcsRequestForABootFile_Passes(string head) =>
        Assert.NotNull(BootRequestHead.Parse(System.Text.Encoding.ASCII.GetBytes(head)));

    [Theory]
    [InlineData("GET /api/v1/machines HTTP/1.1\r\n\r\n")]
    [InlineData("POST /api/v1/auth/token HTTP/1.1\r\nContent-Length: 40\r\n\r\n")]
    [InlineData("GET /login HTTP/1.1\r\n\r\n")]
    [InlineData("POST /boot/x.ipxe HTTP/1.1\r\n\r\n")]
    [InlineData("get /boot/x.ipxe HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot/../api/v1/audit HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot/%2e%2e/metrics HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot/%2E%2E/metrics HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot/x/../../metrics HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot/./x.ipxe HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot//x.ipxe HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot/ HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot/x%00.ipxe HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot\\..\\metrics HTTP/1.1\r\n\r\n")]
    [InlineData("GET http://10.99.0.1/boot/x.ipxe HTTP/1.1\r\n\r\n")]
    [InlineData("GET  /boot/x.ipxe HTTP/1.1\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/2.0\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\r\nContent-Length: 12\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\nHost: a\n\nPOST /api/v1/auth/token HTTP/1.1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\nX-GGnet-Lab-Pc: 10.99.0.77\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\rX-GGnet-Lab-Pc: 10.99.0.77\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\r\nHost: a\r\n folded: value\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\r\n: no name\r\n\r\n")]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\r\nHost: 10.99.0.1\r\n")]
    [InlineData("GET /boot/x.ipxe?a=\u00e9 HTTP/1.1\r\n\r\n")]
    public void AnythingElse_IsRefused(string head) =>
        Assert.Null(BootRequestHead.Parse(System.Text.Encoding.Latin1.GetBytes(head)));

    [Fact]
    public void ALongTarget_IsRefused() =>
        Assert.Null(BootRequestHead.Parse(System.Text.Encoding.ASCII.GetBytes($"GET /boot/{new string('a', BootRequestHead.MaxTargetLength)}.ipxe HTTP/1.1\r\n\r\n")));

    [Fact]
    public void TheRelayedRequest_IsWrittenAnew_NamingThePc_WithNothingElseThePcSent()
    {
        var head = "GET /boot/52-54-00-00-00-01.ipxe?platform=efi HTTP/1.1\r\nHost: evil.example\r\nUser-Agent: iPXE/1.21\r\nX-GGnet-Lab-Pc: 10.99.0.66\r\n" +
            "Cookie: ggnet.auth=stolen\r\nAuthorization: Bearer stolen\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n";

        var request = BootRequestHead.Parse(System.Text.Encoding.ASCII.GetBytes(head))!;
        var relayed = System.Text.Encoding.ASCII.GetString(request.Rebuild(System.Net.IPAddress.Parse("10.99.0.1"), System.Net.IPAddress.Parse("10.99.0.101")));

        Assert.Equal("GET /boot/52-54-00-00-00-01.ipxe?platform=efi HTTP/1.1\r\nHost: 10.99.0.1\r\nUser-Agent: iPXE/1.21\r\nX-GGnet-Lab-Pc: 10.99.0.101\r\n\r\n", relayed);
    }
}
