using GGnet.Core.Boot;
using GGnet.Core.Domain;
using GGnet.Tests.Support;

namespace GGnet.Tests.Core.Boot;

public sealed class DhcpdConfigTests
{
    [Fact]
    public void Render_SmallNetwork_MatchesGolden()
    {
        var hosts = new[]
        {
            new DhcpHost(2, Hostname.Parse("pc-02"), MacAddress.Parse("52:54:00:00:00:02"), null),
            new DhcpHost(1, Hostname.Parse("pc-01"), MacAddress.Parse("52:54:00:00:00:01"), Ipv4Address.Parse("10.99.0.11")),
            new DhcpHost(3, Hostname.Parse("old-nic"), MacAddress.Parse("52:54:00:00:00:03"), null, ScriptTransport.Tftp),
        };

        Golden.Matches("Core/Boot", "dhcpd.conf", DhcpdConfig.Render(BootSamples.Network(), hosts));
    }

    [Fact]
    public void RenderDnsmasq_MatchesGolden() =>
        Golden.Matches("Core/Boot", "dnsmasq-proxy.conf", DnsmasqProxyConfig.Render(BootSamples.Network()));

    [Fact]
    public void Render_HostDeclarationNames_ComeFromTheIdOnly()
    {
        var config = DhcpdConfig.Render(BootSamples.Network(), [new DhcpHost(7, Hostname.Parse("hall-a-07"), MacAddress.Parse("52:54:00:00:00:07"), null)]);

        Assert.Contains("host ggnet-machine-7 {", config, StringComparison.Ordinal);
        Assert.Contains("option host-name \"hall-a-07\";", config, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("x { } host y;", "\"x { } host y;\"")]
    public void Quote_EscapesQuotesAndBackslashes(string value, string expected)
    {
        Assert.Equal(expected, ConfigText.Quote(value));
    }

    [Theory]
    [InlineData("line\nbreak")]
    [InlineData("nul\0")]
    [InlineData("é")]
    public void Quote_RefusesWhatCouldEndTheStatement(string value)
    {
        Assert.Throws<ArgumentException>(() => ConfigText.Quote(value));
    }
}
