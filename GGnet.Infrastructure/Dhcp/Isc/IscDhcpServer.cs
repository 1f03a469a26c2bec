using GGnet.Core.Boot;
using GGnet.Core.Ports;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Dhcp.Isc;

/// <summary>ISC dhcpd: GGnet owns the subnet's DHCP configuration, checked with <c>dhcpd -t -cf</c> before it goes live.</summary>
public sealed class IscDhcpServer(ValidatedConfigFile configFile, IOptions<DhcpOptions> options)
{
    public Task<DhcpApplyResult> ApplyAsync(NetworkSettings network, IReadOnlyList<DhcpHost> hosts, CancellationToken cancellationToken) =>
        configFile.ApplyAsync(DhcpDaemon.Dhcpd, DhcpdConfig.Render(network, hosts), options.Value.RestartCommand, cancellationToken);
}
