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
        var dnsmasq = new DnsmasqProxyServer(new ValidatedConfigFile(new ExternalCommand(NullLogger<ExternalCommand>.Instance)),
            Options.Create(new DhcpOptions { DnsmasqConfigPath = path, DnsmasqRestartCommand = restarts.Command }));

        var result = await dnsmasq.ApplyAsync(BootSamples.Network(), CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Applied, result.Outcome);
        Assert.Contains("dhcp-range=10.99.0.0,proxy,255.255.255.0", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.Equal(1, restarts.Count);
    }

    [Fact]
    public async Task Apply_BrokenDnsmasqConfig_IsRejected()
    {
        var path = Path.Combine(_directory.Path, "ggnet-proxy.conf");
        var configFile = new ValidatedConfigFile(new ExternalCommand(NullLogger<ExternalCommand>.Instance));

        var result = await configFile.ApplyAsync("dnsmasq", path, "dhcp-range=not-an-address,proxy\nno-such-option=1\n",
            candidate => ("/usr/sbin/dnsmasq", ["--test", "--conf-file=" + candidate]), "/bin/true", CancellationToken.None);

        Assert.Equal(DhcpApplyOutcome.Rejected, result.Outcome);
        Assert.False(File.Exists(path));
    }

    public void Dispose() => _directory.Dispose();
}
