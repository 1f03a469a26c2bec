using CliWrap;
using GGnet.Infrastructure.Iscsi.Tgt;
using GGnet.Infrastructure.Lab;
using GGnet.Tests.Support;

namespace GGnet.Tests.Infrastructure.Lab;

public sealed class LabPiecesTests
{
    [Fact]
    public void TgtConnectionListing_GivesSessionAndConnectionIds()
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

        Assert.Equal([("2", "0"), ("7", "1")], TgtConnectionListing.Parse(Listing));
        Assert.Empty(TgtConnectionListing.Parse(""));
    }

    [Fact]
    public void Console_LosesTerminalEscapesAndControlCharacters_KeepsLines()
    {
        var raw = "\u001bc\u001b[2J\u001b[1;1HSeaBIOS (version 1.16)\r\n\u001b[0miPXE \u001b(B\u0007starting\r\n\r\n\r\n\r\nGGnet demo disk\r\n";

        Assert.Equal("SeaBIOS (version 1.16)\niPXE starting\n\nGGnet demo disk\n", QemuVirtualPcs.PlainText(raw));
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

public sealed class LabHttpForwarderTests
{
    [Theory]
    [InlineData("GET /boot/boot.ipxe HTTP/1.1\r\nHost: 10.99.0.1\r\n\r\n", true)]
    [InlineData("HEAD /boot/52-54-00-00-00-01.ipxe HTTP/1.0\r\n\r\n", true)]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("GET /api/v1/machines HTTP/1.1\r\n\r\n", false)]
    [InlineData("POST /api/v1/auth/token HTTP/1.1\r\nContent-Length: 40\r\n\r\n", false)]
    [InlineData("GET /login HTTP/1.1\r\n\r\n", false)]
    [InlineData("GET /boot/../api/v1/audit HTTP/1.1\r\n\r\n", false)]
    [InlineData("GET /boot/x.ipxe HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", false)]
    [InlineData("POST /boot/x.ipxe HTTP/1.1\r\n\r\n", false)]
    public void OnlyBootRequestsCrossIntoGGnet(string head, bool passes) =>
        Assert.Equal(passes, LabHttpForwarder.IsBootRequest(head));

    [Fact]
    public void RelayedRequest_NamesThePc_AndAForgedNameIsDropped()
    {
        var head = "GET /boot/52-54-00-00-00-01.ipxe HTTP/1.1\r\nHost: 10.99.0.1\r\nX-GGnet-Lab-Pc: 10.99.0.66\r\n\r\n"u8.ToArray();

        var relayed = System.Text.Encoding.Latin1.GetString(LabHttpForwarder.WithPcAddress(head, System.Net.IPAddress.Parse("10.99.0.101")));

        Assert.Equal("GET /boot/52-54-00-00-00-01.ipxe HTTP/1.1\r\nHost: 10.99.0.1\r\nX-GGnet-Lab-Pc: 10.99.0.101\r\n\r\n", relayed);
    }
}
