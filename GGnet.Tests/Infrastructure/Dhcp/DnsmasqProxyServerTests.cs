using GGnet.Core.Ports;
using GGnet.Infrastructure.Dhcp;
using GGnet.Infrastructure.Dhcp.Dnsmasq;
using GGnet.Infrastructure.Processes;
using GGnet.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GGnet.Tests.Infrastructure.Dhcp;

/// <summary>Against the real dnsmasq: the proxyDHCP configuration passes <c>dnsmasq --test</c>.</summary>
public sealed class DnsmasqProxyServerTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Apply_ProxyConfig_PassesDnsmasqTest()
    {
        var restarts = new RestartCounter(_directory.Path);
        var path = Path.Combine(_directory.Path, "ggnet-proxy.conf");
        var options = Options.Create(new DhcpOptions { DnsmasqConfigPath = path, DnsmasqRestartCommand = restarts.Command });
        var dnsmasq = new DnsmasqProxyServer(ConfigFile(options), options);

        var result = await dnsmasq.ApplyAsync(BootSamples.Network(), CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Applied, result.Outcome);
        Assert.Contains("dhcp-range=10.99.0.0,proxy,255.255.255.0", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.Equal(1, restarts.Count);
    }

    [Fact]
    public async Task Apply_ADnsmasqConfigDnsmasqRefuses_IsRejected()
    {
        var path = Path.Combine(_directory.Path, "ggnet-proxy.conf");
        var configFile = ConfigFile(Options.Create(new DhcpOptions { DnsmasqConfigPath = path }));

        // GGnet's lines, but an address dnsmasq's own check refuses.
        var result = await configFile.ApplyAsync(DhcpDaemon.Dnsmasq, "port=0\ndhcp-range=999.0.0.0,proxy,255.255.255.0\n", "/bin/true", CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Rejected, result.Outcome);
        Assert.Contains("dnsmasq refused the new configuration", result.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Apply_ALineGGnetNeverWrites_IsRefusedBeforeDnsmasqSeesIt()
    {
        var path = Path.Combine(_directory.Path, "ggnet-proxy.conf");
        var configFile = ConfigFile(Options.Create(new DhcpOptions { DnsmasqConfigPath = path }));

        var result = await configFile.ApplyAsync(DhcpDaemon.Dnsmasq, "port=0\ndhcp-script=/tmp/run-as-root\n", "/bin/true", CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Rejected, result.Outcome);
        Assert.Contains("Line 2 of the dnsmasq configuration is not one GGnet writes: dhcp-script=/tmp/run-as-root", result.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    private static ValidatedConfigFile ConfigFile(IOptions<DhcpOptions> options)
    {
        var commands = new ExternalCommand(NullLogger<ExternalCommand>.Instance);
        return new ValidatedConfigFile(new LocalConfigInstaller(commands, options), commands);
    }

    public void Dispose() => _directory.Dispose();
}
