using GGnet.Core.Boot;
using GGnet.Core.Ports;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Dhcp.Dnsmasq;

/// <summary>dnsmasq as proxyDHCP beside an existing router, checked with <c>dnsmasq --test</c> before it goes live.</summary>
public sealed class DnsmasqProxyServer(ValidatedConfigFile configFile, IOptions<DhcpOptions> options)
{
    public Task<DhcpApplyResult> ApplyAsync(NetworkSettings network, CancellationToken cancellationToken) =>
        configFile.ApplyAsync(DhcpDaemon.Dnsmasq, DnsmasqProxyConfig.Render(network), options.Value.DnsmasqRestartCommand, cancellationToken);
}
