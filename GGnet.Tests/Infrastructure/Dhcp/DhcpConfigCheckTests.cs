using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Iscsi.Tgt.Control;
using GGnet.Infrastructure.Processes;
using GGnet.Infrastructure.RootHelper;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Dhcp;

/// <summary>Only the lines GGnet's renderers write reach a root daemon's configuration.</summary>
public sealed class DhcpConfigCheckTests
{
    [Theory]
    [InlineData(DhcpDaemon.Dhcpd, "dhcpd.conf")]
    [InlineData(DhcpDaemon.Dnsmasq, "dnsmasq-proxy.conf")]
    public void WhatGGnetRenders_Passes(DhcpDaemon daemon, string golden)
    {
        var text = File.ReadAllText(Path.Combine(Artifacts.RepositoryRoot(), "GGnet.Tests", "Core", "Boot", "Golden", golden));

        Assert.Null(DhcpConfigCheck.Refusal(daemon, text));
    }

    [Fact]
    public void ARenderingWithEveryKindOfHost_Passes()
    {
        var hosts = new[]
        {
            new DhcpHost(1, Hostname.Parse("pc-01"), MacAddress.Parse("52:54:00:00:00:01"), Ipv4Address.Parse("10.99.0.11")),
            new DhcpHost(2, Hostname.Parse("PC-02"), MacAddress.Parse("52:54:00:AB:CD:02"), null, ScriptTransport.Tftp),
        };

        Assert.Null(DhcpConfigCheck.Refusal(DhcpDaemon.Dhcpd, DhcpdConfig.Render(BootSamples.Network(), hosts)));
        Assert.Null(DhcpConfigCheck.Refusal(DhcpDaemon.Dnsmasq, DnsmasqProxyConfig.Render(BootSamples.Network())));
    }

    [Theory]
    [InlineData(DhcpDaemon.Dhcpd, "on commit { execute(\"/bin/sh\", \"-c\", \"id\"); }")]
    [InlineData(DhcpDaemon.Dhcpd, "include \"/etc/shadow\";")]
    [InlineData(DhcpDaemon.Dhcpd, "  option host-name \"pc\"; filename \"x\";")]
    [InlineData(DhcpDaemon.Dnsmasq, "dhcp-script=/tmp/x")]
    [InlineData(DhcpDaemon.Dnsmasq, "conf-file=/tmp/more.conf")]
    [InlineData(DhcpDaemon.Dnsmasq, "dhcp-boot=tag:ipxe,http://10.99.0.1/boot/boot.ipxe,evil")]
    public void AnyOtherLine_IsRefused_ByItsNumber(DhcpDaemon daemon, string line)
    {
        var refusal = DhcpConfigCheck.Refusal(daemon, "# Written by GGnet. Changes made here are overwritten: change the settings in GGnet instead.\n" + line + "\n");

        Assert.StartsWith("Line 2 of the", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void ALineLongerThanAnyGGnetWrites_IsRefused_ThoughItsShapeIsOne()
    {
        var header = "# Written by GGnet. Changes made here are overwritten: change the settings in GGnet instead.\n";
        var address = $"http://{new string('a', 2000)}.example/boot/boot.ipxe";

        Assert.Null(DhcpConfigCheck.Refusal(DhcpDaemon.Dnsmasq, header + "dhcp-boot=tag:ipxe,http://pc-server.example/boot/boot.ipxe\n"));
        Assert.StartsWith("Line 2 of the dnsmasq configuration", DhcpConfigCheck.Refusal(DhcpDaemon.Dnsmasq, header + $"dhcp-boot=tag:ipxe,{address}\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRootHelper_WritesNoConfigurationInAFolderOthersMayWrite()
    {
        using var folder = new TempDirectory();
        File.SetUnixFileMode(folder.Path, (UnixFileMode)0b111_111_111);
        var commands = new ExternalCommand(NullLogger<ExternalCommand>.Instance);
        var configs = new LocalConfigInstaller(commands, Options.Create(new DhcpOptions { ConfigPath = Path.Combine(folder.Path, "dhcpd.conf") }));
        var files = new HelperFiles(commands);
        var tgtd = new TgtdSocket(Options.Create(new GGnet.Infrastructure.Iscsi.IscsiOptions()));
        using var server = new RootHelperServer(tgtd, new TgtRequestPolicy(new TgtHelperLimits(Iqn.Parse("iqn.2024-01.net.ggnet"), folder.Path, folder.Path), tgtd, files),
            files, configs, commands, NullLogger<RootHelperServer>.Instance);
        var line = System.Text.Json.JsonSerializer.Serialize(
            new HelperRequest { DhcpConfig = new(DhcpDaemon.Dhcpd, DhcpdConfig.Render(BootSamples.Network(), [])) }, HelperWire.Json);

        var reply = Assert.IsType<ConfigInstallReply>(await server.AnswerAsync(line, new HelperPeer(1, 998, 998), CancellationToken.None));

        Assert.Equal(ConfigInstallOutcome.Refused, reply.Outcome);
        Assert.Contains("is not root's alone", reply.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "dhcpd.conf")));
    }
}
