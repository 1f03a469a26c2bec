using GGnet.Core.Boot;
using GGnet.Core.Ports;
using Microsoft.Extensions.Options;

namespace GGnet.Infrastructure.Dhcp.Isc;

/// <summary>ISC dhcpd: GGnet owns the subnet's DHCP configuration, checked with <c>dhcpd -t -cf</c> before it goes live.</summary>
public sealed class IscDhcpServer(ValidatedConfigFile configFile, IOptions<DhcpOptions> options)
{
    public Task<DhcpApplyResult> ApplyAsync(NetworkSettings network, IReadOnlyList<DhcpHost> hosts, CancellationToken cancellationToken)
    {
        var dhcp = options.Value;
        return configFile.ApplyAsync(
            "dhcpd",
            dhcp.ConfigPath,
            DhcpdConfig.Render(network, hosts),
            // Without -q: -q hides the error text, and the admin needs it.
            candidate => (dhcp.DhcpdPath, ["-t", "-4", "-cf", candidate]),
            dhcp.RestartCommand,
            cancellationToken);
    }
}
